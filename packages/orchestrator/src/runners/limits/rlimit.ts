import { withMemoryLimit } from "../process-limits.ts";
import type { Limiter } from "./types.ts";

/**
 * The fallback where no cgroup is writable: the memory limit as each process's data rlimit, plus
 * Vigil's sampler killing the tree past it (process-limits.ts). CPU is not enforced.
 */
export function rlimitLimiter(): Limiter {
  return {
    mechanism: "rlimit",
    confine: (_service, limits, [file, args]) => ({
      command: withMemoryLimit(file, args, limits.memoryBytes),
      oomKills: () => undefined,
      pids: () => [],
      release: async () => {},
    }),
    find: () => undefined,
  };
}
