import type { ProbeStatus } from "../status/model.ts";

/** The outcome of one probe run. */
export interface ProbeResult {
  status: ProbeStatus;
  /** Wall time of the run in milliseconds. */
  latencyMs: number;
  /** One human sentence: what was seen, or why it failed. */
  message: string;
  /** Kind-specific facts (HTTP status, health document, container state, child results...). */
  details?: Record<string, unknown>;
  /** For staged checks: the last stage reached, and the ordered ladder. */
  stage?: { reached: string | null; index: number; total: number; failedAt?: string };
}

/** Everything a probe may use besides its spec. */
export interface ProbeContext {
  /** Aborted at the check's timeout or when the run is cancelled; a probe must stop all work on abort. */
  signal: AbortSignal;
  /** Timeout in ms that the signal enforces (probes may use it to size inner deadlines). */
  timeoutMs: number;
  /**
   * Runs a nested check spec (used by composite and staged probes). `timeoutMs` bounds the child
   * (capped by what is left of the parent's time); without it the child gets the parent's remainder.
   */
  runChild?: (
    spec: import("../config/schema.ts").CheckSpec,
    signal: AbortSignal,
    timeoutMs?: number,
  ) => Promise<ProbeResult>;
  /** Resolves the container id or name of a docker service, for docker/command-in-container probes. */
  containerFor?: (service: string) => string | undefined;
  /** The service owning the check, when known (docker probes default to its container). */
  service?: string;
}

/** A probe kind: a function of its spec and context. */
export type Probe<S> = (spec: S, ctx: ProbeContext) => Promise<ProbeResult>;
