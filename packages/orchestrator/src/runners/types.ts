import type Docker from "dockerode";
import type { ServiceConfig, ServiceKind } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import type { LimiterChoice, LimitMechanism } from "./limits/index.ts";

/** What a runner knows about one service's process or container. */
export interface RunnerStatus {
  /** `exited`: down without Vigil having stopped it (a crash, an outside `docker kill`). */
  state: "running" | "stopped" | "exited" | "starting" | "stopping" | "external" | "unknown";
  pid?: number;
  containerId?: string;
  startedAt?: Date;
  exitCode?: number | null;
  /** When the last run ended (docker runner, for a container found down). */
  finishedAt?: Date;
  /** Signal that ended the last run (process runner), e.g. "SIGKILL". */
  signal?: string | null;
  /** Why the last run ended when the runner knows better than code/signal ("killed: out of memory..."). */
  exitReason?: string;
  revision?: string;
  /** True when Vigil found the service already running (pid file or labelled container). */
  adopted?: boolean;
  /** The run's `resources` limits and what enforces them (process services with limits). */
  limits?: RunLimits;
}

/** A run's limits as the board and the API show them. */
export interface RunLimits {
  enforcement: LimitMechanism;
  /** Cores. */
  cpus?: number;
  memoryBytes?: number;
}

/** Reported when a service's process or container ends. */
export interface ExitInfo {
  service: string;
  code: number | null;
  signal: string | null;
  at: Date;
  /** How long it ran, ms: the restart policy resets its backoff after a stable run. */
  ranForMs: number;
  /** True when Vigil itself stopped it (a user stop must never trigger the restart policy). */
  requested: boolean;
  /** Vigil was not the parent (adopted): it saw the process go, so code and signal are unknown. */
  unknown?: boolean;
  /** Set when the runner knows why it ended, e.g. "killed: out of memory, limit 1 GiB". */
  reason?: string;
  /**
   * The container engine restarts it itself (Docker's restart policy on the container): Vigil's
   * policy counts the attempt but must not start a second copy.
   */
  engineRestarts?: boolean;
  /**
   * The run that ended, named the same by every instance watching it (pid, or container id and
   * start time): several Vigil instances agree on which exit a restart answers.
   */
  incarnation?: string;
}

/** Everything runners share: where to keep state and where to report. */
export interface RunnerContext {
  project: string;
  /** Pid files, logs and revision history live here. */
  stateDir: string;
  onEvent: (event: EngineEvent) => void;
  onExit: (exit: ExitInfo) => void;
  /** Time between resource samples of running services, ms; 0 turns sampling off. Default 5 s. */
  resourceIntervalMs?: number;
  /** How process limits are enforced; `auto` (default) takes the first of cgroup v2, v1, rlimit. */
  limiter?: LimiterChoice;
  /** A service runs again without Vigil starting it (Docker restarted the container). */
  onResumed?: (service: string, status: RunnerStatus) => void;
  /** The client of a named Docker host (`hosts:`); the local engine's for `undefined`. */
  dockerFor?: (host: string | undefined) => Docker;
}

export interface StartOptions {
  /** Aborts an in-flight start (cancelled action); the runner cleans up what it began. */
  signal?: AbortSignal;
}

/**
 * One kind of service runner. `service` is the config actually wanted, which may differ from
 * vigil.yaml after a rollback (previous image or command).
 */
export interface Runner {
  readonly kind: ServiceKind;
  start(name: string, service: ServiceConfig, opts?: StartOptions): Promise<RunnerStatus>;
  stop(name: string, service: ServiceConfig): Promise<RunnerStatus>;
  restart(name: string, service: ServiceConfig, opts?: StartOptions): Promise<RunnerStatus>;
  status(name: string, service: ServiceConfig): Promise<RunnerStatus>;
  /** The most recent log lines (in-memory ring), oldest first. */
  logs(name: string, lines?: number): string[];
  /** Identity of what would run: image ref (docker) or short hash of command+env+cwd (process). */
  revision(name: string, service: ServiceConfig): string;
  /** Finds a service already running from an earlier Vigil (pid file or labelled container). */
  attach(name: string, service: ServiceConfig): Promise<RunnerStatus>;
  /** Stops streams and watchers; leaves services running. */
  close(): Promise<void>;
}

/** Raised for requests a runner refuses (external services); the message is for the user. */
export class RunnerRefusal extends Error {
  override name = "RunnerRefusal";
}
