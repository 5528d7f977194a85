import type { ServiceStatus, ServiceView } from "../../lib/contract";

export const STATUSES: readonly ServiceStatus[] = [
  "unhealthy",
  "host-unreachable",
  "blocked",
  "degraded",
  "starting",
  "stopped",
  "unknown",
  "healthy",
];

interface StatusMeta {
  /** The word shown next to the colour and icon (status is never colour alone). */
  word: string;
  /** Text colour class (foreground on the theme's surface). */
  text: string;
  /** Soft background for tiles. */
  bg: string;
  /** Solid fill for dots, bars and graph edges. */
  fill: string;
  /** Left-border colour class for tiles and headers (a class, not a style attribute: see proxy.ts). */
  border: string;
  /** A CSS colour for SVG strokes. */
  css: string;
  /** Sort weight: the worst first. */
  rank: number;
}

export const STATUS_META: Record<ServiceStatus, StatusMeta> = {
  unhealthy: {
    word: "unhealthy",
    text: "text-st-unhealthy",
    bg: "bg-st-unhealthy-bg",
    fill: "bg-st-unhealthy",
    border: "border-l-st-unhealthy",
    css: "var(--st-unhealthy)",
    rank: 0,
  },
  // Not known to be down (its engine does not answer), but someone has to look: right after unhealthy.
  "host-unreachable": {
    word: "host unreachable",
    text: "text-st-host-unreachable",
    bg: "bg-st-host-unreachable-bg",
    fill: "bg-st-host-unreachable",
    border: "border-l-st-host-unreachable",
    css: "var(--st-host-unreachable)",
    rank: 1,
  },
  blocked: {
    word: "blocked",
    text: "text-st-blocked",
    bg: "bg-st-blocked-bg",
    fill: "bg-st-blocked",
    border: "border-l-st-blocked",
    css: "var(--st-blocked)",
    rank: 2,
  },
  degraded: {
    word: "degraded",
    text: "text-st-degraded",
    bg: "bg-st-degraded-bg",
    fill: "bg-st-degraded",
    border: "border-l-st-degraded",
    css: "var(--st-degraded)",
    rank: 3,
  },
  starting: {
    word: "starting",
    text: "text-st-starting",
    bg: "bg-st-starting-bg",
    fill: "bg-st-starting",
    border: "border-l-st-starting",
    css: "var(--st-starting)",
    rank: 4,
  },
  stopped: {
    word: "stopped",
    text: "text-st-stopped",
    bg: "bg-st-stopped-bg",
    fill: "bg-st-stopped",
    border: "border-l-st-stopped",
    css: "var(--st-stopped)",
    rank: 5,
  },
  unknown: {
    word: "unknown",
    text: "text-st-unknown",
    bg: "bg-st-unknown-bg",
    fill: "bg-st-unknown",
    border: "border-l-st-unknown",
    css: "var(--st-unknown)",
    rank: 6,
  },
  healthy: {
    word: "healthy",
    text: "text-st-healthy",
    bg: "bg-st-healthy-bg",
    fill: "bg-st-healthy",
    border: "border-l-st-healthy",
    css: "var(--st-healthy)",
    rank: 7,
  },
};

export function isStatus(value: string | undefined | null): value is ServiceStatus {
  return value !== undefined && value !== null && value in STATUS_META;
}

export type StatusCounts = Record<ServiceStatus, number>;

export function countStatuses(services: readonly ServiceView[]): StatusCounts {
  const counts: StatusCounts = {
    healthy: 0,
    degraded: 0,
    unhealthy: 0,
    blocked: 0,
    "host-unreachable": 0,
    starting: 0,
    stopped: 0,
    unknown: 0,
  };
  for (const s of services) counts[s.status] += 1;
  return counts;
}

/** One line under the status word: the cause, in the fewest words that explain it. */
export function statusDetail(s: ServiceView): string {
  if (s.status === "blocked" && s.blockedBy.length > 0) return `blocked by ${s.blockedBy.join(", ")}`;
  if (s.status === "starting") {
    const staged = s.checks.find((c) => c.stage);
    if (staged?.stage) {
      const reached = staged.stage.reached ?? "not started";
      return `stage ${staged.stage.index}/${staged.stage.total}: ${reached}`;
    }
  }
  return s.reason;
}

/** Where the service runs when that is not simply "here": "on node-b" (cluster), "on host edge-1". */
export function placement(s: Pick<ServiceView, "node" | "host">): string | undefined {
  if (s.node !== undefined) return `on ${s.node}`;
  if (s.host !== undefined) return `on host ${s.host}`;
  return undefined;
}

/** Past-tense verb for "down 3 m" style labels. */
export function statusVerb(status: ServiceStatus): string {
  switch (status) {
    case "healthy":
      return "up";
    case "unhealthy":
      return "down";
    default:
      return STATUS_META[status].word;
  }
}

/** Names reachable from `names` along `edges`, breadth-first (nearest first), each once, excluding `names`. */
function reachable(
  names: readonly string[],
  byName: ReadonlyMap<string, ServiceView>,
  edges: (s: ServiceView) => readonly string[],
): string[] {
  const seen = new Set(names);
  const out: string[] = [];
  const queue = [...names];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    const service = byName.get(next);
    for (const d of service ? edges(service) : []) {
      if (seen.has(d)) continue;
      seen.add(d);
      out.push(d);
      queue.push(d);
    }
  }
  return out;
}

/** Every service that (transitively) depends on any of `names`, nearest first, excluding them. */
export function transitiveDependents(names: readonly string[], services: readonly ServiceView[]): string[] {
  return reachable(names, new Map(services.map((s) => [s.name, s])), (s) => s.dependents);
}

/** Dependencies (transitive) of `names` that are not running and would be started too. */
export function stoppedDependencies(names: readonly string[], services: readonly ServiceView[]): string[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  return reachable(names, byName, (s) => s.dependsOn).filter((d) => {
    const dep = byName.get(d);
    return (
      dep !== undefined &&
      dep.kind !== "external" &&
      (dep.status === "stopped" || dep.runtimeState === "stopped")
    );
  });
}

/**
 * The latency worth showing as "now": none for a stopped, starting or unknown service (the last
 * value would be stale), nor for one whose host does not answer, nor for a failing one (the time
 * to fail is not a latency).
 */
export function currentLatency(s: ServiceView): { latency: number | null; noReading: string } {
  if (s.status === "stopped") return { latency: null, noReading: "stopped" };
  if (s.status === "unhealthy") return { latency: null, noReading: "failing" };
  if (s.status === "host-unreachable") return { latency: null, noReading: "not observed" };
  if (s.status === "starting" || s.status === "unknown")
    return { latency: null, noReading: "no reading yet" };
  return { latency: s.latencyMs, noReading: "no data" };
}

/**
 * Root causes: services that are themselves failing (not blocked) and that something is blocked by.
 * The board's "blocked by" points here; the graph rings them.
 */
export function rootCauses(services: readonly ServiceView[]): Set<string> {
  const causes = new Set<string>();
  // Most of the time nothing is down: one pass instead of a name map of every service per update.
  if (!services.some((s) => s.status === "blocked" || s.status === "unhealthy")) return causes;
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const s of services) {
    if (s.status !== "blocked") continue;
    for (const b of s.blockedBy) {
      const dep = byName.get(b);
      if (dep && dep.status !== "blocked") causes.add(b);
    }
  }
  for (const s of services)
    if (s.status === "unhealthy" && !causes.has(s.name) && s.dependents.length > 0) causes.add(s.name);
  return causes;
}
