"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { keys } from "../_lib/api";
import { VigilLive } from "../_lib/live";
import { ActionFlowProvider } from "./actions/ActionFlow";

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => {
    const qc = new QueryClient({
      defaultOptions: {
        queries: { retry: 2, refetchOnWindowFocus: false, staleTime: 10_000 },
      },
    });
    // The cache writers (cache.ts) keep every untouched service's object already; comparing the
    // whole board deeply on each socket batch as well cost up to tens of ms at 10,000 services.
    qc.setQueryDefaults(keys.services, { structuralSharing: false });
    return qc;
  });
  return (
    <QueryClientProvider client={client}>
      <VigilLive>
        <ActionFlowProvider>{children}</ActionFlowProvider>
      </VigilLive>
    </QueryClientProvider>
  );
}
