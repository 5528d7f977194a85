import type { JobRun } from "./jobs/run-once.ts";
import type { SkippedRun } from "./jobs/scheduler.ts";
import type { CheckState } from "./policy/state.ts";
import type { ProbeResult } from "./probes/types.ts";
import type { CircuitState, ServiceStatus } from "./status/model.ts";

/*
 * Everything the engine reports. The engine knows nothing of where events go: the web app
 * stores them in Postgres and pushes them over Socket.IO, the CLI prints them.
 * Times are UTC instants (Date); serialisers turn them into ISO-8601.
 */

export type ActionKind = "start" | "stop" | "restart" | "rollback";
export type ActionResult = "succeeded" | "failed" | "cancelled";
export type StepState =
  | "planned"
  | "waiting"
  | "starting"
  | "healthy"
  | "started"
  | "failed"
  | "stopping"
  | "stopped"
  | "rolled-back"
  | "skipped";

export interface ActionPlan {
  actionId: string;
  kind: ActionKind;
  /** What was asked for. */
  targets: string[];
  /** Waves in execution order; each wave runs in parallel. For stop this is reverse order. */
  waves: string[][];
  /** Who asked (user name, "cli", "restart-policy"...). */
  requestedBy: string;
}

export type EngineEvent =
  | {
      type: "check.result";
      service: string;
      check: string;
      at: Date;
      result: ProbeResult;
      circuit: CircuitState;
      /** The check's decided state after thresholds (may differ from the raw result). */
      state: "healthy" | "degraded" | "unhealthy" | "unknown";
      /**
       * False while the service is stopped or still inside its start (start_period or a start
       * action): such failures are expected, so history and uptime must not count them.
       */
      counted: boolean;
      /**
       * Probed by another instance of a cluster and applied here (Monitor.applyRemoteResult): it
       * updates this board, but its owner already recorded it.
       */
      remote?: true;
      /** The check's whole policy state after this run: what a cluster peer needs to show the same. */
      checkState?: CheckState;
    }
  | {
      type: "service.status";
      service: string;
      from: ServiceStatus;
      to: ServiceStatus;
      at: Date;
      /** Why: the failing check's message, "blocked by redis", "stopped by alice"... */
      reason: string;
      blockedBy?: string[];
    }
  | { type: "action.planned"; at: Date; plan: ActionPlan }
  | {
      type: "action.step";
      actionId: string;
      service: string;
      wave: number;
      state: StepState;
      at: Date;
      message?: string;
      /** Staged-check stage reached, while starting. */
      stage?: string;
    }
  | {
      type: "action.finished";
      actionId: string;
      kind: ActionKind;
      result: ActionResult;
      at: Date;
      durationMs: number;
      message: string;
    }
  | { type: "service.log"; service: string; stream: "stdout" | "stderr"; line: string; at: Date }
  | {
      type: "service.restarted";
      service: string;
      at: Date;
      attempt: number;
      /** Delay before this restart (restart policy backoff). */
      delayMs: number;
      crashLoop: boolean;
      reason: string;
    }
  | ({ type: "service.resources"; service: string; at: Date } & ResourceUsage)
  /** A service ended because it ran out of memory under its limit (counted, shown as the reason). */
  | { type: "service.oom"; service: string; at: Date; limitBytes: number; reason: string }
  /** A job's attempt began (schedule, catch-up, or "Run now" by a person). */
  | { type: "job.started"; service: string; runId: string; trigger: string; attempt: number; at: Date }
  /** A job's attempt ended; `run` is what the run history records. */
  | { type: "job.finished"; service: string; at: Date; run: JobRun }
  /** A trigger that did not run: overlap (forbid), unhealthy dependencies, or missed while down. */
  | { type: "job.skipped"; service: string; at: Date; skip: SkippedRun };

/**
 * One sample of what a service uses. CPU is % of one core; memory excludes page cache for
 * containers and is the tree's resident set for processes. Optional fields are those the
 * runner can measure: fds/threads from /proc, network and block I/O from Docker.
 */
export interface ResourceUsage {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes?: number;
  /**
   * How the memory limit is enforced: "cgroup" (container), "cgroup v1"/"cgroup v2" (process in
   * its own cgroup, runners/limits/), "rlimit+sampler" (process fallback, see process-limits.ts).
   */
  limitEnforcement?: "cgroup" | "cgroup v1" | "cgroup v2" | "rlimit+sampler";
  fds?: number;
  threads?: number;
  pids?: number;
  netRxBytes?: number;
  netTxBytes?: number;
  blockReadBytes?: number;
  blockWriteBytes?: number;
}

export type EngineEventListener = (event: EngineEvent) => void;
