import { type CheckSnapshot, enforcementLabel, type ServiceSnapshot } from "@vigil/orchestrator";
import { type CheckView, DockerHealth, type ServiceView } from "../../lib/contract.ts";
import { checkValues } from "./check-values.ts";

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
    ...valuesOfLast(check.kind, last?.values),
    ...dockerHealthOf(check.kind, last?.details),
  };
}

/** The docker probe puts `State.Health.Status` in its details; only the three real verdicts show. */
export function dockerHealthOf(
  kind: string,
  details: Record<string, unknown> | undefined,
): Pick<CheckView, "dockerHealth"> {
  if (kind !== "docker") return {};
  const parsed = DockerHealth.safeParse(details?.health);
  return parsed.success ? { dockerHealth: parsed.data } : {};
}

function valuesOfLast(kind: string, values: Record<string, number> | undefined): Pick<CheckView, "values"> {
  const list = checkValues(kind, values);
  return list === undefined ? {} : { values: list };
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
    ...(s.kind === "process" || s.kind === "docker" ? { oomKills: s.runtime.oomKills ?? 0 } : {}),
    ...(s.runtime.limits
      ? { limits: { ...s.runtime.limits, label: enforcementLabel(s.runtime.limits.enforcement) } }
      : {}),
    runtimeState: s.runtime.state,
    ...(s.node === undefined ? {} : { node: s.node }),
    ...(s.host === undefined ? {} : { host: s.host }),
    activeAction: s.activeAction ?? null,
    checks: s.checks.map(toCheckView),
    ...(s.runtime.job ? { job: jobView(s.runtime.job) } : {}),
  };
}

function jobView(job: NonNullable<ServiceSnapshot["runtime"]["job"]>): NonNullable<ServiceView["job"]> {
  const { last } = job;
  return {
    nextRun: job.nextRun?.toISOString() ?? null,
    running: job.running,
    last: last
      ? {
          startedAt: last.startedAt.toISOString(),
          durationMs: last.durationMs,
          outcome: last.outcome,
          trigger: last.trigger,
        }
      : null,
  };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
