import type Docker from "dockerode";
import type { z } from "zod";
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
  /**
   * Numbers the run measured besides its latency, by value name: `{ days_remaining: 12.4 }`,
   * `{ queue_depth: 3 }`, `{ rtt_ms: 0.4, loss_pct: 0 }`, `{ duration_ms: 5120 }`. Names are the
   * keys of the kind's `values` in the registry; they are stored, rolled up, charted, exported on
   * /metrics and usable in `expect` conditions. Only finite numbers belong here.
   */
  values?: Record<string, number>;
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
    spec: import("./registry.ts").CheckSpec,
    signal: AbortSignal,
    timeoutMs?: number,
  ) => Promise<ProbeResult>;
  /** Resolves the container id or name of a docker service, for docker/command-in-container probes. */
  containerFor?: (service: string) => string | undefined;
  /** The Docker client of a service's engine (its `host:`); the local engine's for other names. */
  dockerFor?: (service: string) => Docker;
  /** The service owning the check, when known (docker probes default to its container). */
  service?: string;
  /** The check's name within its service (push checks look their pings up by service and check). */
  check?: string;
  /** Pings received for push checks (the web layer records them; see probes/push/heartbeats.ts). */
  heartbeats?: import("./push/heartbeats.ts").HeartbeatSource;
}

/** A probe kind: a function of its spec and context. */
export type Probe<S> = (spec: S, ctx: ProbeContext) => Promise<ProbeResult>;

/** What one value a kind reports means, for charts, /metrics help text and the JSON Schema. */
export interface ValueInfo {
  /** Unit as shown next to the number: "days", "ms", "%", "messages"... ("" for a plain count). */
  unit: string;
  /** One sentence: what the number is. */
  description: string;
}

/**
 * One check kind, as the registry holds it: its config schema (a `kind: z.literal(...)` object),
 * its probe, and the values its results may carry. Each `probes/<kind>.ts` exports one of these.
 */
export interface CheckKindDef<S extends { kind: string }> {
  schema: z.ZodType<S, unknown>;
  probe: Probe<S>;
  values?: Readonly<Record<string, ValueInfo>>;
}
