import type { ResourceUsage } from "../events.ts";
import { resourcesOf } from "./docker-spec.ts";

/** The parts of a Docker stats sample (API /containers/{id}/stats, cgroup v1 or v2) read here. */
interface StatsSample {
  memory_stats?: { limit?: number };
  pids_stats?: { current?: number };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: {
    io_service_bytes_recursive?: { op?: string; value?: number }[] | null;
  };
}

/**
 * Everything a stats sample tells: CPU and memory without page cache (as before, via
 * `resourcesOf`), plus the memory limit, PIDs, network totals over all interfaces and block I/O.
 * With `--network host` the container has no interfaces of its own, so network is absent.
 */
export function containerUsage(sample: StatsSample & Parameters<typeof resourcesOf>[0]): ResourceUsage {
  const usage: ResourceUsage = resourcesOf(sample);
  const limit = sample.memory_stats?.limit;
  // Unlimited containers report the host's memory (or 2^63 on some kernels): not a limit.
  if (typeof limit === "number" && limit > 0 && limit < 2 ** 60) {
    usage.memoryLimitBytes = limit;
    usage.limitEnforcement = "cgroup";
  }
  if (typeof sample.pids_stats?.current === "number") usage.pids = sample.pids_stats.current;
  const nets = Object.values(sample.networks ?? {});
  if (nets.length > 0) {
    usage.netRxBytes = nets.reduce((n, i) => n + (i.rx_bytes ?? 0), 0);
    usage.netTxBytes = nets.reduce((n, i) => n + (i.tx_bytes ?? 0), 0);
  }
  const io = sample.blkio_stats?.io_service_bytes_recursive;
  if (Array.isArray(io)) {
    // cgroup v1 says "Read"/"Write", v2 "read"/"write".
    const sum = (op: string) =>
      io.filter((e) => e.op?.toLowerCase() === op).reduce((n, e) => n + (e.value ?? 0), 0);
    usage.blockReadBytes = sum("read");
    usage.blockWriteBytes = sum("write");
  }
  return usage;
}

/**
 * Docker streams a stats sample every second; history and the board need one per interval.
 * Returns a gate that lets one sample through per `intervalMs` (0: none).
 */
export function sampleGate(intervalMs: number, now: () => number = Date.now): () => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    if (intervalMs <= 0) return false;
    const t = now();
    if (t - last < intervalMs) return false;
    last = t;
    return true;
  };
}
