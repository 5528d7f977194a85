"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { VigilLive } from "../_lib/live";
import { ActionFlowProvider } from "./actions/ActionFlow";

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: 2, refetchOnWindowFocus: false, staleTime: 10_000 },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <VigilLive>
        <ActionFlowProvider>{children}</ActionFlowProvider>
      </VigilLive>
    </QueryClientProvider>
  );
}
