"use client";

import { createContext, lazy, type ReactNode, Suspense, useContext, useState } from "react";
import type { ConfirmRequest } from "./ConfirmDialog";
import { useRunAction } from "./useRunAction";

// Loaded on the first ask, not with every page: most visits never confirm anything. Once loaded it
// stays mounted, so closing returns focus where the native <dialog> puts it.
const ConfirmDialog = lazy(() => import("./ConfirmDialog").then((m) => ({ default: m.ConfirmDialog })));

const Ctx = createContext<((r: ConfirmRequest) => void) | null>(null);

/** One confirmation dialog for the whole app: ask → confirm (naming what else is affected) → POST. */
export function ActionFlowProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [asked, setAsked] = useState(false);
  const run = useRunAction();
  const ask = (r: ConfirmRequest) => {
    run.reset();
    setAsked(true);
    setRequest(r);
  };
  return (
    <Ctx.Provider value={ask}>
      {children}
      {asked ? (
        <Suspense fallback={null}>
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
        </Suspense>
      ) : null}
    </Ctx.Provider>
  );
}

export function useAskAction(): (r: ConfirmRequest) => void {
  const ask = useContext(Ctx);
  if (!ask) throw new Error("useAskAction outside <ActionFlowProvider>");
  return ask;
}
