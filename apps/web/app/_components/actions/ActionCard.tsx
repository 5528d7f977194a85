"use client";

import { useQuery } from "@tanstack/react-query";
import type { ActionView } from "../../../lib/contract";
import { api, keys } from "../../_lib/api";
import { useHydrated, useNow } from "../../_lib/hooks";
import { useCanAct } from "../../_lib/session";
import { clockTime } from "../../_lib/time";
import { Timeline } from "./Timeline";
import { KIND_WORD } from "./useRunAction";

const RESULT_TONE: Record<ActionView["result"], string> = {
  running: "text-st-starting",
  succeeded: "text-st-healthy",
  failed: "text-st-unhealthy",
  cancelled: "text-st-stopped",
};

async function cancel(id: string): Promise<void> {
  // The result arrives as an `action` finished delta (cancelled) like any other outcome.
  await api.cancelAction(id).catch(() => undefined);
}

/** One action: what, who, elapsed, the timeline, and the result message. */
export function ActionCard({ action: initial, onDismiss }: { action: ActionView; onDismiss?: () => void }) {
  // The per-id cache entry is what the socket deltas update; the list entry may lag.
  const action =
    useQuery({
      queryKey: keys.action(initial.id),
      queryFn: ({ signal }) => api.action(initial.id, signal),
      initialData: initial,
      staleTime: Number.POSITIVE_INFINITY,
    }).data ?? initial;
  const running = action.result === "running";
  const now = useNow(running ? 500 : 60_000);
  const hydrated = useHydrated();
  const { canAct } = useCanAct();
  const end = action.finishedAt ? Date.parse(action.finishedAt) : now;
  const elapsed = Math.max(0, end - Date.parse(action.startedAt));
  const what = action.targets.length === 0 ? "the whole stack" : action.targets.join(", ");
  return (
    <article
      data-testid="action-card"
      data-result={action.result}
      className="rounded-md border border-line p-3"
    >
      <header className="mb-2 flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <h3 className="font-semibold">
          {KIND_WORD[action.kind].verb} {what}
        </h3>
        <span className={`text-sm font-semibold ${RESULT_TONE[action.result]}`}>{action.result}</span>
        <span className="text-xs text-muted">
          by {action.requestedBy} · {hydrated ? clockTime(action.startedAt) : ""} ·{" "}
          {(elapsed / 1000).toFixed(1)} s
        </span>
        {running && canAct ? (
          <button
            type="button"
            onClick={() => void cancel(action.id)}
            className="ml-auto rounded border border-line px-2 py-0.5 text-xs hover:bg-surface-2"
            data-testid="cancel-action"
          >
            Cancel
          </button>
        ) : null}
        {onDismiss && !running ? (
          <button
            type="button"
            onClick={onDismiss}
            className="ml-auto rounded px-2 py-0.5 text-xs text-muted hover:bg-surface-2 hover:text-fg"
            aria-label="Dismiss this action"
          >
            Dismiss
          </button>
        ) : null}
      </header>
      <Timeline action={action} />
      <p
        aria-live="polite"
        data-testid="action-result"
        className={`mt-2 text-sm font-medium ${RESULT_TONE[action.result]}`}
      >
        {running ? `${KIND_WORD[action.kind].ing}…` : (action.message ?? action.result)}
      </p>
    </article>
  );
}
