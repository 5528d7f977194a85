"use client";

import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { alertKeys, alertsApi } from "../_lib/alerts-api";
import { maintenanceQuery } from "../_lib/maintenance";

// Shown only while something is open or in maintenance (never server-rendered: the queries run in
// the browser), so its markup loads then, not with every board.
const AlertList = lazy(() => import("./AlertList").then((m) => ({ default: m.AlertList })));

/** Open alert incidents and services in maintenance, above the board. */
export function AlertBanner() {
  const open = useQuery({
    queryKey: alertKeys.incidents({ state: "open" }),
    queryFn: ({ signal }) => alertsApi.incidents({ state: "open" }, signal),
    refetchInterval: 10_000,
  });
  const maintenance = useQuery(maintenanceQuery);
  const incidents = open.data?.incidents ?? [];
  const inMaintenance = maintenance.data?.services ?? [];
  if (incidents.length === 0 && inMaintenance.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <AlertList incidents={incidents} inMaintenance={inMaintenance} />
    </Suspense>
  );
}
