export * from "./config/duration.ts";
export * from "./config/index.ts";
export * from "./config/schema.ts";
export * from "./config/size.ts";
// Service control: runners, lifecycle and the composed engine.
export { createEngine, type Engine, type EngineOptions } from "./engine/engine.ts";
export * from "./events.ts";
export * from "./graph/index.ts";
export { planRestart, planStart, planStop } from "./lifecycle/plan.ts";
export { backoffDelay, CRASH_LOOP_AFTER } from "./lifecycle/restart-policy.ts";
export type { RevisionEntry, RevisionOutcome } from "./lifecycle/revisions.ts";
export type {
  ActionHandle,
  ActionOutcome,
  ActionRecord,
  FailureReport,
  HealthGate,
  StepRecord,
} from "./lifecycle/types.ts";
export { createMonitor, type Monitor, type MonitorOptions } from "./monitor/monitor.ts";
export { type ScheduledTask, Scheduler } from "./monitor/scheduler.ts";
export type { WaitHealthyOptions, WaitHealthyResult } from "./monitor/wait-healthy.ts";
export * from "./policy/index.ts";
export { checkNames } from "./probes/names.ts";
export { PROBES, probeFor } from "./probes/registry.ts";
export * from "./probes/run.ts";
export * from "./probes/types.ts";
export { containerNameOf, containerOf } from "./runners/docker-spec.ts";
export { logFileTail } from "./runners/log-sink.ts";
export { type ExitInfo, type Runner, RunnerRefusal, type RunnerStatus } from "./runners/types.ts";
export { type DerivedStatus, deriveStatuses, ownStatus, type StatusInput } from "./status/derive.ts";
export * from "./status/model.ts";
export * from "./status/snapshot.ts";
