import type { CheckSnapshot, ServiceSnapshot } from "@vigil/orchestrator";
import type { CheckView, ServiceView } from "../../lib/contract.ts";

/** Extra facts a ServiceView needs that the engine snapshot does not carry. */
export interface ViewExtras {
  dependents: string[];
  sparkline: (number | null)[];
  uptime24h: number | null;
}

export function toCheckView(check: CheckSnapshot): CheckView {
  const last = check.last;
  return {
    name: check.name,
    kind: check.kind,
    state: check.state,
    circuit: check.circuit,
    lastAt: last ? last.at.toISOString() : null,
    lastStatus: last ? last.status : null,
    // Messages can be long (response bodies); the board shows one line.
    lastMessage: last ? truncate(last.message, 300) : null,
    lastLatencyMs: last ? round(last.latencyMs) : null,
    stage: last?.stage
      ? {
          reached: last.stage.reached,
          index: last.stage.index,
          total: last.stage.total,
          ...(last.stage.failedAt === undefined ? {} : { failedAt: last.stage.failedAt }),
        }
      : null,
    ...(check.stages ? { stages: check.stages } : {}),
  };
}

export function toServiceView(s: ServiceSnapshot, extras: ViewExtras): ServiceView {
  return {
    name: s.name,
    kind: s.kind,
    group: s.group,
    wave: s.wave,
    dependsOn: s.dependsOn,
    dependents: extras.dependents,
    status: s.status,
    reason: truncate(s.reason, 300),
    blockedBy: s.blockedBy,
    since: s.since.toISOString(),
    latencyMs: s.latencyMs === null ? null : round(s.latencyMs),
    sparkline: extras.sparkline,
    uptime24h: extras.uptime24h,
    restarts: s.runtime.restarts,
    runtimeState: s.runtime.state,
    activeAction: s.activeAction ?? null,
    checks: s.checks.map(toCheckView),
  };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
