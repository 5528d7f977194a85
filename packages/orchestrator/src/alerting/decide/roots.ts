import type { ServiceStatus } from "../../status/model.ts";

/** What the decisions need to know about a service's current derived status. */
export interface ObservedStatus {
  status: ServiceStatus;
  reason: string;
  /** Root causes named by the engine when `status` is `blocked`. */
  blockedBy: readonly string[];
}

/** Statuses that count as "down" when attributing a failure to its root cause. */
const FAILING: ReadonlySet<ServiceStatus> = new Set(["unhealthy", "blocked", "host-unreachable"]);
/** Statuses that make a service its own root when no dependency explains them. */
const OWN_ROOT: ReadonlySet<ServiceStatus> = new Set(["unhealthy", "host-unreachable"]);

/**
 * For every failing service, the root causes it is down because of. A service is its own root
 * when it is `unhealthy` while none of its dependencies is failing; a service that is unhealthy
 * *and* has a failing dependency is counted as affected by that dependency's roots (its own
 * check most likely fails because of it), so a storm collapses into one alert per root.
 * `blocked` services never become roots: a blocked service whose blocker is merely stopped by
 * an operator has no root and alerts no one.
 */
export function rootsOf(
  statuses: ReadonlyMap<string, ObservedStatus>,
  dependsOn: (service: string) => readonly string[],
): Map<string, ReadonlySet<string>> {
  const memo = new Map<string, ReadonlySet<string>>();
  const visiting = new Set<string>();
  const visit = (service: string): ReadonlySet<string> => {
    const known = memo.get(service);
    if (known) return known;
    const observed = statuses.get(service);
    // The config rejects cycles; the guard keeps a bad graph from recursing forever.
    if (!observed || !FAILING.has(observed.status) || visiting.has(service)) return new Set();
    visiting.add(service);
    const roots = new Set<string>();
    for (const dep of dependsOn(service)) for (const root of visit(dep)) roots.add(root);
    visiting.delete(service);
    // A docker service on an unreachable host has that host (decide/hosts.ts) as its root.
    if (roots.size === 0 && OWN_ROOT.has(observed.status)) roots.add(service);
    if (roots.size === 0 && observed.status === "blocked") {
      // Blocked by something outside the graph we were given: trust the engine's own attribution.
      for (const root of observed.blockedBy) if (statuses.get(root)?.status === "unhealthy") roots.add(root);
    }
    memo.set(service, roots);
    return roots;
  };
  for (const service of statuses.keys()) visit(service);
  return memo;
}

/** Services whose only root is themselves: the ones an incident is about. */
export function rootCauses(roots: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const out = new Set<string>();
  for (const [service, set] of roots) if (set.size === 1 && set.has(service)) out.add(service);
  return out;
}

/** Services (other than the root) that are down because of `root`, sorted by name. */
export function affectedBy(roots: ReadonlyMap<string, ReadonlySet<string>>, root: string): string[] {
  const out: string[] = [];
  for (const [service, set] of roots) if (service !== root && set.has(root)) out.push(service);
  return out.sort();
}
