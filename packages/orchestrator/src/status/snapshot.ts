import type { ServiceKind } from "../config/schema.ts";
import type { ProbeResult } from "../probes/types.ts";
import type { RunLimits } from "../runners/types.ts";
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

/** What a job's status is derived from: no restarts, no checks needed; its last run decides. */
export interface JobFacts {
  /** Null: the schedule never fires again. */
  nextRun: Date | null;
  /** Runs in flight now. */
  running: number;
  last?: {
    startedAt: Date;
    durationMs: number;
    outcome: "succeeded" | "failed" | "timeout" | "replaced" | "missed" | "skipped";
    exitCode: number | null;
    trigger: string;
    /** Said to a person: "exit code 3", "timed out after 10 s", "dependencies not healthy: db". */
    reason: string;
  };
}

/** The latest known state of one service, as the board shows it. */
export interface ServiceSnapshot {
  name: string;
  kind: ServiceKind;
  group: string;
  /** Startup wave index (0 = no dependencies). */
  wave: number;
  dependsOn: string[];
  /** Process services with `node:`: the cluster instance that runs them. */
  node?: string;
  /** Docker services with `host:`: the engine they run on (absent: the local engine). */
  host?: string;
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
    /** The signal that ended the last run (SIGKILL...), when one did. */
    exitSignal?: string | null;
    /** The last run ended unobserved: Vigil adopted the process and saw only that it was gone. */
    exitUnknown?: boolean;
    /** Why the last run ended, when the runner knows ("killed: out of memory, limit 1 GiB"). */
    exitReason?: string | undefined;
    /** Jobs only: the last run's verdict and the schedule (jobs/job-status.ts). */
    job?: JobFacts;
    /** The `resources` limits of the run and what enforces them (cgroup v1/v2, rlimit). */
    limits?: RunLimits;
    /** Runs that ended out of memory since Vigil started (kernel OOM kill, rlimit, tree limit). */
    oomKills?: number;
    /** Docker services: why their engine does not answer its pings (docker/host-watch.ts), while it does not. */
    hostUnreachable?: string | undefined;
  };
  /** Action currently running on this service, if any. */
  activeAction?: { id: string; kind: string; requestedBy: string };
}
