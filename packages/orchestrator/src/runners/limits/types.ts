/*
 * How a process service's `resources: {cpus, memory}` are enforced. One contract, one file per
 * mechanism (cgroup-v2.ts, cgroup-v1.ts, rlimit.ts) and a chooser (choose.ts) that takes the
 * first the machine offers.
 */

/** What the board, the service page and the API say enforces the limits. */
export const LIMIT_MECHANISMS = ["cgroup v2", "cgroup v1", "rlimit"] as const;
export type LimitMechanism = (typeof LIMIT_MECHANISMS)[number];

/** `auto` tries cgroup v2, then cgroup v1, then the memory rlimit. */
export const LIMITER_CHOICES = ["auto", "cgroup-v2", "cgroup-v1", "rlimit"] as const;
export type LimiterChoice = (typeof LIMITER_CHOICES)[number];

export interface Limits {
  /** Cores, e.g. 0.5 = half of one core. */
  cpus?: number | undefined;
  memoryBytes?: number | undefined;
}

/** One service's confinement for one run. */
export interface Confinement {
  /** The command line to spawn: it joins the confinement itself before `exec`ing the service. */
  readonly command: [string, string[]];
  /** Kernel OOM kills inside it so far; undefined when the mechanism cannot tell (rlimit). */
  oomKills(): number | undefined;
  /** Pids inside it (cgroup.procs); empty for rlimit, which confines nothing as a group. */
  pids(): number[];
  /** Removes it once its processes are gone (bounded wait); never throws. */
  release(): Promise<void>;
}

export interface Limiter {
  readonly mechanism: LimitMechanism;
  /** Prepares the service's confinement with `limits`; throws a message the user can act on. */
  confine(service: string, limits: Limits, command: [string, string[]]): Confinement;
  /** The confinement an earlier Vigil left for a service it started (adoption), if it still exists. */
  find(service: string): Confinement | undefined;
}

/** "cgroup v1", or for the rlimit "rlimit (memory only; CPU not enforced)". */
export function enforcementLabel(mechanism: LimitMechanism): string {
  return mechanism === "rlimit" ? "rlimit (memory only; CPU not enforced)" : mechanism;
}
