import { SERVICE_STATUSES } from "@vigil/orchestrator/status";
import * as z from "zod/mini";
import { CheckValue } from "./contract-values";

/*
 * The views the board is made of, shared by REST bodies and Socket.IO payloads (contract.ts
 * re-exports them). Times are ISO-8601 strings with offset.
 */

// The engine's own list (a dependency-free module, so browsers get only these seven words).
export const ServiceStatus = z.enum(SERVICE_STATUSES);
export type ServiceStatus = z.infer<typeof ServiceStatus>;

/** What one probe run found. */
export const ResultStatus = z.enum(["healthy", "degraded", "unhealthy"]);
export type ResultStatus = z.infer<typeof ResultStatus>;

/** `State.Health.Status` of an inspected container ("none" = no healthcheck, not shown). */
export const DockerHealth = z.enum(["healthy", "starting", "unhealthy"]);
export type DockerHealth = z.infer<typeof DockerHealth>;

/** Staged checks: how far up the ladder a run got. */
export const StageReached = z.object({
  reached: z.nullable(z.string()),
  index: z.number(),
  total: z.number(),
  failedAt: z.optional(z.string()),
});

export const CheckView = z.object({
  name: z.string(),
  kind: z.string(),
  state: z.enum(["healthy", "degraded", "unhealthy", "unknown"]),
  circuit: z.enum(["closed", "open", "half-open"]),
  lastAt: z.nullable(z.string()),
  lastStatus: z.nullable(ResultStatus),
  lastMessage: z.nullable(z.string()),
  lastLatencyMs: z.nullable(z.number()),
  /** Staged checks: the ladder and how far it got. */
  stage: z.nullable(StageReached),
  stages: z.optional(z.array(z.string())),
  /** The values of the last result, when the check's kind reports any. */
  values: z.optional(z.array(CheckValue)),
  /** Docker checks of a container with a HEALTHCHECK: Docker's own verdict, beside Vigil's. */
  dockerHealth: z.optional(DockerHealth),
});
export type CheckView = z.infer<typeof CheckView>;

export const ActiveAction = z.object({ id: z.string(), kind: z.string(), requestedBy: z.string() });

/** A process run's `resources` limits and what enforces them ("cgroup v1", "rlimit (memory only; ...)"). */
export const LimitsView = z.object({
  enforcement: z.enum(["cgroup v2", "cgroup v1", "rlimit"]),
  /** What the board says, e.g. "rlimit (memory only; CPU not enforced)". */
  label: z.string(),
  cpus: z.optional(z.number()),
  memoryBytes: z.optional(z.number()),
});
export type LimitsView = z.infer<typeof LimitsView>;

/** Jobs only: the last run and the next scheduled one (the board tile shows them). */
export const JobView = z.object({
  nextRun: z.nullable(z.string()),
  running: z.number(),
  last: z.nullable(
    z.object({ startedAt: z.string(), durationMs: z.number(), outcome: z.string(), trigger: z.string() }),
  ),
});
export type JobView = z.infer<typeof JobView>;

export const ServiceView = z.object({
  name: z.string(),
  kind: z.enum(["process", "docker", "external", "job"]),
  group: z.string(),
  wave: z.number(),
  dependsOn: z.array(z.string()),
  dependents: z.array(z.string()),
  status: ServiceStatus,
  reason: z.string(),
  blockedBy: z.array(z.string()),
  since: z.string(),
  latencyMs: z.nullable(z.number()),
  /** Recent latencies, oldest first; null = failed run. Small on purpose (<= 30 points). */
  sparkline: z.array(z.nullable(z.number())),
  /** Share of healthy/degraded results over the last 24 h, 0..1; null when no data. */
  uptime24h: z.nullable(z.number()),
  restarts: z.number(),
  /** Runs that ended out of memory since Vigil started (processes and containers). */
  oomKills: z.optional(z.number()),
  /** Process services with `resources` limits. */
  limits: z.optional(LimitsView),
  runtimeState: z.string(),
  /** Cluster: the instance that runs this process service (its `node:`); the board says "on node-b". */
  node: z.optional(z.string()),
  /** The named Docker host (`host:`) a docker service runs on; absent: the local engine. */
  host: z.optional(z.string()),
  activeAction: z.nullable(ActiveAction),
  checks: z.array(CheckView),
  job: z.optional(JobView),
});
export type ServiceView = z.infer<typeof ServiceView>;

export const StoreHealth = z.object({
  state: z.enum(["ok", "degraded"]),
  queueDepth: z.number(),
  dropped: z.number(),
  message: z.nullable(z.string()),
});
export type StoreHealth = z.infer<typeof StoreHealth>;

export const ServicesResponse = z.object({
  generatedAt: z.string(),
  project: z.string(),
  services: z.array(ServiceView),
  store: StoreHealth,
});
export type ServicesResponse = z.infer<typeof ServicesResponse>;

export const ActionKind = z.enum(["start", "stop", "restart", "rollback"]);
export type ActionKind = z.infer<typeof ActionKind>;

export const ActionStepView = z.object({
  service: z.string(),
  wave: z.number(),
  state: z.string(),
  at: z.string(),
  message: z.nullable(z.string()),
  stage: z.nullable(z.string()),
});
export type ActionStepView = z.infer<typeof ActionStepView>;

export const ActionView = z.object({
  id: z.string(),
  kind: ActionKind,
  targets: z.array(z.string()),
  waves: z.array(z.array(z.string())),
  requestedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.nullable(z.string()),
  result: z.enum(["running", "succeeded", "failed", "cancelled"]),
  message: z.nullable(z.string()),
  steps: z.array(ActionStepView),
});
export type ActionView = z.infer<typeof ActionView>;
