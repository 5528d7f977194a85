import { exitText, hasExitFacts } from "./exit-text.ts";
import { jobStatus } from "./job-status.ts";
import { hostLabel, type ServiceStatus } from "./model.ts";
import type { CheckSnapshot, ServiceSnapshot } from "./snapshot.ts";

/** What deriving a service's status needs to know about it. */
export interface StatusInput {
  dependsOn: string[];
  runtime: ServiceSnapshot["runtime"];
  checks: Pick<CheckSnapshot, "name" | "state" | "last">[];
  /** The Docker host (`hosts:` name) the service runs on; undefined: the local engine. */
  host?: string | undefined;
}

export interface DerivedStatus {
  status: ServiceStatus;
  reason: string;
  blockedBy: string[];
}

/** The service judged on its own: lifecycle facts first, then its checks. */
export function ownStatus(input: StatusInput): { status: ServiceStatus; reason: string } {
  const { runtime, checks } = input;
  if (runtime.job) return jobStatus(runtime.job);
  if (runtime.state === "stopped") return { status: "stopped", reason: "stopped" };
  if (runtime.state === "stopping") return { status: "stopped", reason: "stopping" };
  const unreachable = hostUnreachable(input);
  if (unreachable) return unreachable;
  if (runtime.state === "exited") return { status: "unhealthy", reason: exitedReason(runtime) };
  if (runtime.state === "crash-loop") {
    const last = hasExitFacts(runtime) ? `; last: ${exitText(runtime)}` : "";
    return { status: "unhealthy", reason: `crash loop (${runtime.restarts} restarts${last})` };
  }
  if (runtime.state === "starting") return { status: "starting", reason: startingReason(checks) };
  if (checks.length === 0) {
    return runtime.state === "running"
      ? { status: "healthy", reason: "running (no checks)" }
      : { status: "unknown", reason: "no checks" };
  }
  const failing = checks.find((c) => c.state === "unhealthy");
  if (failing) return { status: "unhealthy", reason: describe(failing) };
  const waiting = checks.find((c) => c.state === "unknown");
  if (waiting) {
    const seen = waiting.last ? `: ${waiting.last.message}` : "";
    return { status: "unknown", reason: `waiting for ${waiting.name}${seen}` };
  }
  const degraded = checks.find((c) => c.state === "degraded");
  if (degraded) return { status: "degraded", reason: describe(degraded) };
  return {
    status: "healthy",
    reason: checks.length === 1 ? describe(checks[0]!) : `all ${checks.length} checks passing`,
  };
}

/**
 * An engine that does not answer its pings, or a check that could not reach it (and has not passed
 * since), says nothing about the container: the service is `host-unreachable`, whatever its exit
 * facts said before.
 */
function hostUnreachable(input: StatusInput): { status: ServiceStatus; reason: string } | undefined {
  const failed = input.checks.find(
    (c) => c.last?.details?.hostUnreachable === true && (c.state === "unhealthy" || c.state === "unknown"),
  );
  const fromCheck = failed?.last?.details?.engineError;
  const why = input.runtime.hostUnreachable ?? (typeof fromCheck === "string" ? fromCheck : undefined);
  if (input.runtime.hostUnreachable === undefined && !failed) return undefined;
  return {
    status: "host-unreachable",
    reason: `Docker host ${hostLabel(input.host)} unreachable${why === undefined ? "" : ` (${why})`}`,
  };
}

/** A signal or an unobserved exit is said as such; only a real exit code is shown as one. */
function exitedReason(runtime: StatusInput["runtime"]): string {
  if (runtime.exitReason || runtime.exitUnknown || runtime.exitSignal) return exitText(runtime);
  const code = runtime.exitCode;
  return code === undefined || code === null
    ? "exited unexpectedly"
    : `exited unexpectedly (exit code ${code})`;
}

const describe = (check: Pick<CheckSnapshot, "name" | "last">): string =>
  check.last ? `${check.name}: ${check.last.message}` : check.name;

function startingReason(checks: StatusInput["checks"]): string {
  for (const check of checks) {
    const stage = check.last?.stage;
    if (stage?.reached) return `starting: stage ${stage.index}/${stage.total} "${stage.reached}" reached`;
  }
  return "starting";
}

/** Statuses that make a dependent `blocked`. */
const BLOCKING: ReadonlySet<ServiceStatus> = new Set(["unhealthy", "blocked", "stopped", "host-unreachable"]);
/** Own statuses that a failing dependency overrides with `blocked`. */
const OVERRIDABLE: ReadonlySet<ServiceStatus> = new Set(["healthy", "degraded", "unknown"]);

/**
 * Every service's status. `order` must list dependencies before dependents (topological order),
 * so a dependency's final status is known when its dependents are judged. `blockedBy` names root
 * causes: a service blocked through a blocked dependency points at what blocks that one.
 */
export function deriveStatuses(
  order: readonly string[],
  inputs: ReadonlyMap<string, StatusInput>,
  /** Current status of a dependency outside `order` (when re-deriving only part of the graph). */
  known?: (name: string) => Pick<DerivedStatus, "status" | "blockedBy"> | undefined,
): Map<string, DerivedStatus> {
  const out = new Map<string, DerivedStatus>();
  for (const name of order) {
    const input = inputs.get(name);
    if (!input) continue;
    const own = ownStatus(input);
    const roots = new Set<string>();
    if (OVERRIDABLE.has(own.status)) {
      for (const dep of input.dependsOn) {
        const derived = out.get(dep) ?? known?.(dep);
        if (!derived || !BLOCKING.has(derived.status)) continue;
        if (derived.status === "blocked") for (const root of derived.blockedBy) roots.add(root);
        else roots.add(dep);
      }
    }
    if (roots.size > 0) {
      const blockedBy = [...roots].sort();
      out.set(name, { status: "blocked", reason: `blocked by ${blockedBy.join(", ")}`, blockedBy });
    } else {
      out.set(name, { ...own, blockedBy: [] });
    }
  }
  return out;
}
