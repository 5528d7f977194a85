"use client";

import { type ReactNode, useState } from "react";
import { ConfirmDialog, type ConfirmRequest } from "./ConfirmDialog";
import { useRunAction } from "./useRunAction";

/** Ask → confirm (naming what else is affected) → POST; returns the dialog to render. */
export function useActionFlow(): { ask: (r: ConfirmRequest) => void; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const run = useRunAction();
  const dialog = (
    <ConfirmDialog
      request={request}
      pending={run.isPending}
      error={run.error ? run.error.message : null}
      onClose={() => {
        setRequest(null);
        run.reset();
      }}
      onConfirm={({ withDependents }) => {
        if (!request) return;
        run.mutate(
          { kind: request.kind, targets: request.targets, withDependents },
          { onSuccess: () => setRequest(null) },
        );
      }}
    />
  );
  return {
    ask: (r) => {
      run.reset();
      setRequest(r);
    },
    dialog,
  };
}
