import type { RawRow } from "../../packages/db/src/history/copy-rows.ts";
import type { ResultInput } from "../../packages/db/src/index.ts";

/*
 * The probe results the ingest and storage scenarios write: 1,000 services every 10 s, i.e. 10 ms
 * apart in the order the checks finish, one in 997 unhealthy, so rollup buckets fill as in life.
 */

export const SERVICES = 1000;

export function resultOf(t0: number, i: number): ResultInput {
  const unhealthy = i % 997 === 0;
  return {
    service: `svc-${String(i % SERVICES).padStart(4, "0")}`,
    check: "health",
    at: new Date(t0 + i * 10),
    status: unhealthy ? "unhealthy" : "healthy",
    latencyMs: unhealthy ? null : 0.5 + ((i * 7919) % 4000) / 1000,
    message: unhealthy ? "connect ECONNREFUSED 127.0.0.1:8080" : "HTTP 200",
  };
}

/** resultOf(t0, i) as the raw row the writer stores (series and reason ids in order of first sight). */
export function rawRowOf(t0: number, i: number): RawRow {
  const r = resultOf(t0, i);
  return {
    series: (i % SERVICES) + 1,
    at: r.at.getTime() * 1000,
    status: r.status === "unhealthy" ? 2 : 0,
    latencyUs: r.latencyMs === null ? null : Math.round(r.latencyMs * 1000),
    reason: r.status === "unhealthy" ? 1 : 2,
  };
}
