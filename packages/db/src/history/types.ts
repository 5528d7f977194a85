export type ResultStatus = "healthy" | "degraded" | "unhealthy";

/** One probe result as the poller reports it. */
export interface ResultInput {
  /** Client-generated UUID; makes a retried write idempotent. Generated when omitted. */
  id?: string;
  service: string;
  check: string;
  at: Date;
  status: ResultStatus;
  /** null when the probe produced no timing (e.g. it failed before connecting). */
  latencyMs: number | null;
  message: string | null;
  detail?: unknown;
  /** Values the run measured besides latency (`{ days_remaining: 12.4 }`); stored and rolled up. */
  values?: Record<string, number> | null;
}

/** One resource sample of a service: snake_case value names (cpu_percent, memory_bytes, fds...). */
export interface ResourceInput {
  /** Client-generated UUID; makes a retried write idempotent. Generated when omitted. */
  id?: string;
  service: string;
  at: Date;
  values: Record<string, number>;
}

/** A timeline event; `type` defaults to "transition" (a status change from → to). */
export interface EventInput {
  id?: string;
  type?: string;
  service: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  at: Date;
  actionId?: string | null;
}

export interface ActionInput {
  /** Client-generated id (returned by recordAction). Generated when omitted. */
  id?: string;
  kind: string;
  targets: string[];
  waves?: unknown;
  requestedBy: string;
  role?: string | null;
  params?: unknown;
  requestId?: string | null;
  startedAt: Date;
}

export interface ActionUpdate {
  finishedAt?: Date | null;
  result?: string | null;
  message?: string | null;
  steps?: unknown;
  waves?: unknown;
}

export interface ActionRecord extends Required<Omit<ActionInput, "id">> {
  id: string;
  finishedAt: Date | null;
  result: string | null;
  message: string | null;
  steps: unknown;
}

/** Items of the writer's ordered queue. */
export type QueueItem =
  /** `sub`: microseconds past `at`'s millisecond, fixed when queued (instants.ts). */
  | { kind: "result"; v: ResultInput & { id: string; sub?: number } }
  | { kind: "event"; v: EventInput & { id: string } }
  | { kind: "resource"; v: ResourceInput & { id: string } }
  | { kind: "action"; v: ActionInput & { id: string } }
  | { kind: "actionUpdate"; id: string; v: ActionUpdate };

export interface StoreHealth {
  /** "degraded" while the database cannot be written; results keep buffering meanwhile. */
  state: "ok" | "degraded";
  queueDepth: number;
  /** Results dropped by this process because the buffer bound was hit. */
  dropped: number;
  /** The last write error (credentials redacted) while degraded. */
  message: string | null;
  lastFlushAt: Date | null;
}

export type Resolution = "raw" | "minute" | "hour";

export interface HistoryPoint {
  t: Date;
  count: number;
  failures: number;
  min: number | null;
  avg: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Raw resolution only. */
  status?: ResultStatus;
  message?: string | null;
}

export interface HistoryQuery {
  service: string;
  check?: string;
  from: Date;
  to: Date;
  resolution: Resolution | "auto";
  /** Raw only: where the next page starts (the `next` of the previous answer). */
  cursor?: string | undefined;
  /** Raw only: rows per page, at most 10,000 (the default). */
  limit?: number | undefined;
  /**
   * Ranges `uptime` leaves out (maintenance windows): raw results inside one, and rollup buckets
   * that start inside one. The points themselves are all returned.
   */
  exclude?: readonly TimeRange[] | undefined;
}

/** [from, to): a half-open range of time. */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** One value a check reports, over a range: min/avg/max per point (raw: one result per point). */
export interface ValueSeries {
  check: string;
  name: string;
  points: { t: Date; count: number; min: number; avg: number; max: number }[];
}

export interface Incident {
  service: string;
  from: Date;
  /** null while still down. */
  to: Date | null;
  reason: string | null;
}

export interface ServiceInput {
  name: string;
  kind: string;
  group?: string | null;
  status?: string;
}
