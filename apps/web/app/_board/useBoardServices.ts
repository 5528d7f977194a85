"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ServicesResponse } from "../../lib/contract";
import { api, keys } from "../_lib/api";
import { useConnection } from "../_lib/live";

/** How long the board waits for the socket's snapshot before it also asks REST. */
const REST_AFTER_MS = 3000;

/*
 * A small board arrives server-rendered (page.tsx). A large one's data comes from the socket's packed snapshot (28 kB deflated at 1,000 services)
 * rather than from the server-rendered page (2.6 MB of HTML at 1,000 services) or REST (the full
 * JSON). REST fills in only where no snapshot is coming: a share-link visitor (no live link by
 * design), a page older than the server's snapshot format, or a socket that has not delivered
 * within a few seconds.
 */
export function useBoardServices(initial: ServicesResponse | null) {
  const { state } = useConnection();
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaited(true), REST_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  return useQuery({
    queryKey: keys.services,
    queryFn: ({ signal }) => api.services(signal),
    initialData: initial ?? undefined,
    enabled: state === "off" || state === "outdated" || waited,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
