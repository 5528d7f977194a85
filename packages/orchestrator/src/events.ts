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
  | { type: "service.resources"; service: string; at: Date; cpuPercent: number; memoryBytes: number };

export type EngineEventListener = (event: EngineEvent) => void;
