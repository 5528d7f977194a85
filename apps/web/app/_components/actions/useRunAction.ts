"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActionKind } from "../../../lib/contract";
import { api, keys } from "../../_lib/api";

export const FOLLOWED = ["followed-actions"] as const;

export interface RunInput {
  kind: ActionKind;
  targets: string[];
  withDependents?: boolean;
}

/** POST /api/actions with a fresh idempotency key per click; the dock then follows the action. */
export function useRunAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: RunInput) =>
      api.runAction({
        kind: input.kind,
        targets: input.targets,
        withDependents: input.withDependents ?? false,
        idempotencyKey: crypto.randomUUID(),
      }),
    onSuccess: (accepted) => {
      qc.setQueryData<string[]>(FOLLOWED, (prev) =>
        [accepted.actionId, ...(prev ?? []).filter((id) => id !== accepted.actionId)].slice(0, 5),
      );
      if (!qc.getQueryData(keys.action(accepted.actionId))) {
        void qc.prefetchQuery({
          queryKey: keys.action(accepted.actionId),
          queryFn: ({ signal }) => api.action(accepted.actionId, signal),
        });
      }
    },
  });
}

export const KIND_WORD: Record<ActionKind, { verb: string; ing: string }> = {
  start: { verb: "Start", ing: "Starting" },
  stop: { verb: "Stop", ing: "Stopping" },
  restart: { verb: "Restart", ing: "Restarting" },
  rollback: { verb: "Roll back", ing: "Rolling back" },
};
