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
  | { kind: "result"; v: ResultInput & { id: string } }
  | { kind: "event"; v: EventInput & { id: string } }
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
