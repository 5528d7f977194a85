import { SERVICE_STATUSES } from "@vigil/orchestrator/status";
import { z } from "zod";

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

export const CheckView = z.object({
  name: z.string(),
  kind: z.string(),
  state: z.enum(["healthy", "degraded", "unhealthy", "unknown"]),
  circuit: z.enum(["closed", "open", "half-open"]),
  lastAt: z.string().nullable(),
  lastStatus: ResultStatus.nullable(),
  lastMessage: z.string().nullable(),
  lastLatencyMs: z.number().nullable(),
  /** Staged checks: the ladder and how far it got. */
  stage: z
    .object({
      reached: z.string().nullable(),
      index: z.number(),
      total: z.number(),
      failedAt: z.string().optional(),
    })
    .nullable(),
  stages: z.array(z.string()).optional(),
});
export type CheckView = z.infer<typeof CheckView>;

export const ActiveAction = z.object({ id: z.string(), kind: z.string(), requestedBy: z.string() });

export const ServiceView = z.object({
  name: z.string(),
  kind: z.enum(["process", "docker", "external"]),
  group: z.string(),
  wave: z.number(),
  dependsOn: z.array(z.string()),
  dependents: z.array(z.string()),
  status: ServiceStatus,
  reason: z.string(),
  blockedBy: z.array(z.string()),
  since: z.string(),
  latencyMs: z.number().nullable(),
  /** Recent latencies, oldest first; null = failed run. Small on purpose (<= 30 points). */
  sparkline: z.array(z.number().nullable()),
  /** Share of healthy/degraded results over the last 24 h, 0..1; null when no data. */
  uptime24h: z.number().nullable(),
  restarts: z.number(),
  runtimeState: z.string(),
  activeAction: ActiveAction.nullable(),
  checks: z.array(CheckView),
});
export type ServiceView = z.infer<typeof ServiceView>;

export const StoreHealth = z.object({
  state: z.enum(["ok", "degraded"]),
  queueDepth: z.number(),
  dropped: z.number(),
  message: z.string().nullable(),
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
  message: z.string().nullable(),
  stage: z.string().nullable(),
});
export type ActionStepView = z.infer<typeof ActionStepView>;

export const ActionView = z.object({
  id: z.string(),
  kind: ActionKind,
  targets: z.array(z.string()),
  waves: z.array(z.array(z.string())),
  requestedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.enum(["running", "succeeded", "failed", "cancelled"]),
  message: z.string().nullable(),
  steps: z.array(ActionStepView),
});
export type ActionView = z.infer<typeof ActionView>;
