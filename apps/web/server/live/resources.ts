import { RESOURCE_CHECK } from "@vigil/db";
import type { ResourceUsage } from "@vigil/orchestrator";

/** The check name resource series are stored and served under. */
export { RESOURCE_CHECK };

/** Each measured field → its stored value name and unit. One table for history, charts and /metrics. */
export const RESOURCE_FIELDS = [
  ["cpuPercent", "cpu_percent", "%"],
  ["memoryBytes", "memory_bytes", "bytes"],
  ["memoryLimitBytes", "memory_limit_bytes", "bytes"],
  ["fds", "fds", ""],
  ["threads", "threads", ""],
  ["pids", "pids", ""],
  ["netRxBytes", "net_rx_bytes", "bytes"],
  ["netTxBytes", "net_tx_bytes", "bytes"],
  ["blockReadBytes", "block_read_bytes", "bytes"],
  ["blockWriteBytes", "block_write_bytes", "bytes"],
] as const satisfies readonly (readonly [keyof ResourceUsage, string, string])[];

const UNITS = new Map<string, string>(RESOURCE_FIELDS.map(([, name, unit]) => [name, unit]));

/** A sample as stored values ({ cpu_percent, memory_bytes, ... }): only the fields measured. */
export function resourceValues(usage: ResourceUsage): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, name] of RESOURCE_FIELDS) {
    const v = usage[field];
    if (typeof v === "number" && Number.isFinite(v)) out[name] = v;
  }
  return out;
}

/** Unit and description of a stored resource value, for the history API. */
export function resourceInfo(name: string): { unit: string; description: string } {
  return {
    unit: UNITS.get(name) ?? "",
    description: "Measured by the runner (process tree from /proc, or Docker stats)",
  };
}
