export * from "./alerting/index.ts";
export * from "./config/duration.ts";
export * from "./config/index.ts";
export {
  configJsonSchema,
  configJsonSchemaText,
  JSON_SCHEMA_PATH,
  JSON_SCHEMA_REFRESH,
} from "./config/json-schema.ts";
export * from "./config/schema.ts";
export * from "./config/size.ts";
export type { Authority } from "./engine/authority.ts";
// Service control: runners, lifecycle and the composed engine.
export { createEngine, type Engine, type EngineOptions } from "./engine/engine.ts";
export * from "./events.ts";
export * from "./graph/index.ts";
export { type JobRun, runOnce } from "./jobs/run-once.ts";
export { runReason } from "./jobs/run-reason.ts";
export { JobScheduler, type JobSpec, type SkippedRun, type StartedRun } from "./jobs/scheduler.ts";
export type { JobRunStore } from "./jobs/store-port.ts";
export { planRestart, planStart, planStop } from "./lifecycle/plan.ts";
export { backoffDelay, CRASH_LOOP_AFTER } from "./lifecycle/restart-policy.ts";
export type { RevisionEntry, RevisionOutcome } from "./lifecycle/revisions.ts";
export type {
  ActionHandle,
  ActionOutcome,
  ActionRecord,
  FailureReport,
  HealthGate,
  NodeRequest,
  StepRecord,
} from "./lifecycle/types.ts";
export { createMonitor, type Monitor, type MonitorOptions } from "./monitor/monitor.ts";
export { type ScheduledTask, Scheduler } from "./monitor/scheduler.ts";
export type { ProbeSharing, RemoteResult } from "./monitor/sharing.ts";
export type { WaitHealthyOptions, WaitHealthyResult } from "./monitor/wait-healthy.ts";
export * from "./policy/index.ts";
export {
  type HeartbeatSource,
  type HeartbeatState,
  HeartbeatStore,
  type Ping,
  type PingKind,
} from "./probes/push/heartbeats.ts";
export { type PushTarget, pushTargets, pushToken } from "./probes/push/token.ts";
export {
  CHECK_KIND_DEFS,
  CHECK_KINDS,
  type CheckKind,
  CheckSchema,
  type CheckSpec,
  type CheckSpecOf,
  probeFor,
  valuesOf,
} from "./probes/registry.ts";
export * from "./probes/run.ts";
export { checkNames } from "./probes/support/names.ts";
export {
  formatValue,
  judgeValues,
  parseValueCondition,
  type ValueCondition,
  type ValueConditions,
  type ValueOperator,
  valueCondition,
  valueConditionFields,
} from "./probes/support/values.ts";
export * from "./probes/types.ts";
export { containerNameOf, containerOf } from "./runners/docker-spec.ts";
export {
  enforcementLabel,
  LIMIT_MECHANISMS,
  LIMITER_CHOICES,
  type LimiterChoice,
  type LimitMechanism,
} from "./runners/limits/index.ts";
export { logFileTail } from "./runners/log-sink.ts";
export {
  type ExitInfo,
  type RunLimits,
  type Runner,
  RunnerRefusal,
  type RunnerStatus,
} from "./runners/types.ts";
export { type DerivedStatus, deriveStatuses, ownStatus, type StatusInput } from "./status/derive.ts";
export * from "./status/model.ts";
export * from "./status/snapshot.ts";
