import type { ServiceConfig, ServiceKind } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";

/** What a runner knows about one service's process or container. */
export interface RunnerStatus {
  state: "running" | "stopped" | "starting" | "stopping" | "external" | "unknown";
  pid?: number;
  containerId?: string;
  startedAt?: Date;
  exitCode?: number | null;
  /** Signal that ended the last run (process runner), e.g. "SIGKILL". */
  signal?: string | null;
  revision?: string;
  /** True when Vigil found the service already running (pid file or labelled container). */
  adopted?: boolean;
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
}

/** Everything runners share: where to keep state and where to report. */
export interface RunnerContext {
  project: string;
  /** Pid files, logs and revision history live here. */
  stateDir: string;
  onEvent: (event: EngineEvent) => void;
  onExit: (exit: ExitInfo) => void;
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
