import { cgroupV1Limiter } from "./cgroup-v1.ts";
import { cgroupV2Limiter } from "./cgroup-v2.ts";
import { type CgroupHost, readHost } from "./cgroupfs.ts";
import { rlimitLimiter } from "./rlimit.ts";
import type { Limiter, LimiterChoice } from "./types.ts";

/**
 * The limiter for a project: the one asked for, or (`auto`) cgroup v2, else cgroup v1, else the
 * memory rlimit. A cgroup mechanism asked for by name but unusable here falls back to the rlimit
 * too, with `unavailable` saying why, so a service still starts and the board says what holds it.
 */
export function chooseLimiter(
  choice: LimiterChoice,
  project: string,
  host: () => CgroupHost = readHost,
): { limiter: Limiter; unavailable?: string } {
  if (choice === "rlimit") return { limiter: rlimitLimiter() };
  let found: CgroupHost;
  try {
    found = host();
  } catch (error) {
    return { limiter: rlimitLimiter(), unavailable: `cannot read /proc/self cgroups: ${String(error)}` };
  }
  const tries = choice === "auto" ? (["cgroup-v2", "cgroup-v1"] as const) : [choice];
  for (const kind of tries) {
    const limiter = kind === "cgroup-v2" ? cgroupV2Limiter(found, project) : cgroupV1Limiter(found, project);
    if (limiter) return { limiter };
  }
  return {
    limiter: rlimitLimiter(),
    ...(choice === "auto"
      ? {}
      : { unavailable: `${choice} is not usable here (no writable cpu and memory controllers)` }),
  };
}
