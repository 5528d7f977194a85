import type { ServiceKind } from "../config/schema.ts";
import type { ProbeResult } from "../probes/types.ts";
import type { CircuitState, ServiceStatus } from "./model.ts";

/** The latest known state of one check of one service. */
export interface CheckSnapshot {
  name: string;
  kind: string;
  state: "healthy" | "degraded" | "unhealthy" | "unknown";
  circuit: CircuitState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Staged checks: every stage name in order, so the ladder can show the stages not reached yet. */
  stages?: string[];
  last?: ProbeResult & { at: Date };
}

/** The latest known state of one service, as the board shows it. */
export interface ServiceSnapshot {
  name: string;
  kind: ServiceKind;
  group: string;
  /** Startup wave index (0 = no dependencies). */
  wave: number;
  dependsOn: string[];
  status: ServiceStatus;
  /** Why the status is what it is (failing check message, "blocked by redis"...). */
  reason: string;
  blockedBy: string[];
  since: Date;
  /** Latency of the most recent primary check result, ms. */
  latencyMs: number | null;
  checks: CheckSnapshot[];
  /** Lifecycle facts from the runner, when Vigil runs the service. */
  runtime: {
    /** `exited`: the process or container went away without anyone asking (a crash, an outside kill). */
    state: "running" | "stopped" | "exited" | "starting" | "stopping" | "crash-loop" | "external" | "unknown";
    pid?: number;
    containerId?: string;
    startedAt?: Date;
    restarts: number;
    revision?: string;
    exitCode?: number | null;
  };
  /** Action currently running on this service, if any. */
  activeAction?: { id: string; kind: string; requestedBy: string };
}
