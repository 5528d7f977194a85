import type { ServiceSnapshot } from "../status/snapshot.ts";
import type { ServiceEntry } from "./entries.ts";

/** A copy of a service's state, safe to hand out (callers cannot mutate the monitor through it). */
export function toSnapshot(s: ServiceEntry, wave: number): ServiceSnapshot {
  const primary = s.checks[0]?.last;
  const snapshot: ServiceSnapshot = {
    name: s.name,
    kind: s.config.kind,
    group: s.config.group,
    wave,
    dependsOn: [...s.dependsOn],
    status: s.status,
    reason: s.reason,
    blockedBy: [...s.blockedBy],
    since: s.since,
    latencyMs: primary ? primary.latencyMs : null,
    checks: s.checks.map((c) => ({
      name: c.name,
      kind: c.spec.kind,
      ...(c.spec.kind === "staged" ? { stages: c.spec.stages.map((stage) => stage.name) } : {}),
      state: c.state.state,
      circuit: c.state.circuit,
      consecutiveFailures: c.state.consecutiveFailures,
      consecutiveSuccesses: c.state.consecutiveSuccesses,
      ...(c.last ? { last: { ...c.last } } : {}),
    })),
    runtime: { ...s.runtime },
  };
  if (s.config.kind === "process" && s.config.node !== undefined) snapshot.node = s.config.node;
  if (s.config.kind === "docker" && s.config.host !== undefined) snapshot.host = s.config.host;
  if (s.activeAction) snapshot.activeAction = { ...s.activeAction };
  return snapshot;
}
