// Test helper: a queue chunk of results with fixed ids, as the writer would replay it from its spool.
import type { QueueItem } from "../history/types.ts";

/** `n` results of service `service` from `start`, `stepMs` apart, over two checks; every 7th unhealthy, every 5th with detail. */
export function resultBatch(service: string, start: number, n: number, stepMs: number): QueueItem[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: "result",
    v: {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      service,
      check: i % 2 ? "http" : "tcp",
      at: new Date(start + i * stepMs),
      status: i % 7 ? "healthy" : "unhealthy",
      latencyMs: i,
      message: i % 7 ? null : "refused",
      detail: i % 5 ? undefined : { i },
    },
  }));
}
