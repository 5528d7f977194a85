"use client";

import { createContext, type ReactNode, useContext, useState } from "react";
import { ConfirmDialog, type ConfirmRequest } from "./ConfirmDialog";
import { useRunAction } from "./useRunAction";

const Ctx = createContext<((r: ConfirmRequest) => void) | null>(null);

/** One confirmation dialog for the whole app: ask → confirm (naming what else is affected) → POST. */
export function ActionFlowProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const run = useRunAction();
  const ask = (r: ConfirmRequest) => {
    run.reset();
    setRequest(r);
  };
  return (
    <Ctx.Provider value={ask}>
      {children}
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
    </Ctx.Provider>
  );
}

export function useAskAction(): (r: ConfirmRequest) => void {
  const ask = useContext(Ctx);
  if (!ask) throw new Error("useAskAction outside <ActionFlowProvider>");
  return ask;
}
