"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { ServicesResponse } from "../../lib/contract";
import { api, keys } from "./api";
import { prettyQuery } from "./query";

const noop = () => () => undefined;

/** false during SSR and hydration, true after: for values that differ per viewer (local time). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

/** The current time, re-rendering every `everyMs` (aligned, so many clocks tick together). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now());
      timer = setTimeout(tick, everyMs - (Date.now() % everyMs));
    };
    timer = setTimeout(tick, everyMs - (Date.now() % everyMs));
    return () => clearTimeout(timer);
  }, [everyMs]);
  return now;
}

/** The board data: the socket keeps it fresh, REST only fills it before the first snapshot. */
export function useServices(initial?: ServicesResponse | null) {
  return useQuery({
    queryKey: keys.services,
    queryFn: ({ signal }) => api.services(signal),
    initialData: initial ?? undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * URL search params as view state. Writes go through the History API, which Next's router picks
 * up (useSearchParams updates) without a navigation or a server round trip.
 */
export function useUrlState(): [
  URLSearchParams,
  (patch: Record<string, string | null>, push?: boolean) => void,
] {
  const params = useSearchParams();
  const set = useCallback((patch: Record<string, string | null>, push = false) => {
    const sp = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") sp.delete(k);
      else sp.set(k, v);
    }
    const qs = prettyQuery(sp);
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}${window.location.hash}`;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }, []);
  return [new URLSearchParams(params.toString()), set];
}
