import * as z from "zod/mini";
import { ValueSeriesView } from "./contract-values";
import { ActionKind, ActionView, ServiceStatus, ServiceView } from "./contract-views";
import { Instant } from "./instant";

export * from "./contract-socket";
export * from "./contract-values";
export * from "./contract-views";

/*
 * The wire contract between Vigil's server and its browsers: REST bodies here, the shared views in
 * contract-views.ts and the Socket.IO payloads in contract-socket.ts, all re-exported from here.
 * Both sides import these schemas; the server validates what it receives with them, and the
 * OpenAPI document is generated from them. Times are ISO-8601 strings with offset.
 */

export const GraphResponse = z.object({
  waves: z.array(z.array(z.string())),
  edges: z.array(
    z.object({ from: z.string(), to: z.string(), condition: z.enum(["started", "healthy", "completed"]) }),
  ),
});
export type GraphResponse = z.infer<typeof GraphResponse>;

export const Resolution = z.enum(["raw", "minute", "hour"]);
export type Resolution = z.infer<typeof Resolution>;

export const HistoryQuery = z.object({
  service: z.string().check(z.minLength(1)),
  check: z.optional(z.string()),
  from: Instant,
  to: Instant,
  resolution: z._default(z.union([Resolution, z.literal("auto")]), "auto"),
  /** Raw only: the `next` of the previous page. */
  cursor: z.optional(
    z.string().check(z.maxLength(200), z.regex(/^[A-Za-z0-9_-]+$/, "not a cursor this server handed out")),
  ),
  /** Raw only: rows per page (default and maximum 10,000). */
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000))),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** One chart point: a raw result (count 1) or a rollup bucket. Latencies in ms. */
export const HistoryPoint = z.object({
  t: z.string(),
  count: z.number(),
  failures: z.number(),
  min: z.nullable(z.number()),
  avg: z.nullable(z.number()),
  max: z.nullable(z.number()),
  p50: z.nullable(z.number()),
  p95: z.nullable(z.number()),
  p99: z.nullable(z.number()),
  /** Raw points only. */
  status: z.optional(z.enum(["healthy", "degraded", "unhealthy"])),
  message: z.optional(z.string()),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const HistoryResponse = z.object({
  service: z.string(),
  check: z.nullable(z.string()),
  from: z.string(),
  to: z.string(),
  resolution: Resolution,
  points: z.array(HistoryPoint),
  uptime: z.nullable(z.number()),
  /** Check values over the same range and resolution, one series per (check, value name). */
  values: z.array(ValueSeriesView),
  /** Raw only: the cursor of the next page (pass as `cursor`); null on the last page. */
  next: z.nullable(z.string()),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const EventView = z.object({
  id: z.string(),
  at: z.string(),
  service: z.nullable(z.string()),
  type: z.enum(["status", "action", "restart"]),
  from: z.nullable(z.string()),
  to: z.nullable(z.string()),
  message: z.string(),
  actionId: z.nullable(z.string()),
});
export type EventView = z.infer<typeof EventView>;

export const EventsQuery = z.object({
  service: z.optional(z.string()),
  type: z.optional(z.enum(["status", "action", "restart"])),
  from: z.optional(Instant),
  to: z.optional(Instant),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 200),
});

export const Incident = z.object({
  service: z.string(),
  from: z.string(),
  to: z.nullable(z.string()),
  status: ServiceStatus,
  reason: z.string(),
});
export type Incident = z.infer<typeof Incident>;

export const ActionRequest = z.object({
  kind: ActionKind,
  /** Empty = the whole stack. */
  targets: z._default(z.array(z.string()), []),
  /** Restart: also restart the services that depend on the targets. */
  withDependents: z._default(z.boolean(), false),
  /** A browser retry with the same key gets the same action instead of a second one. */
  idempotencyKey: z.optional(z.string().check(z.maxLength(100))),
});
export type ActionRequest = z.infer<typeof ActionRequest>;

export const ActionAccepted = z.object({
  actionId: z.string(),
  /** True when an action already running for these services was returned instead. */
  deduplicated: z.boolean(),
  plan: z.object({ waves: z.array(z.array(z.string())) }),
});
export type ActionAccepted = z.infer<typeof ActionAccepted>;

/* ---------- REST envelopes (GET bodies, query strings, errors) ---------- */

/** Every non-2xx JSON answer. `field` names the offending input (`targets.0`, `from`...). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum([
      "bad_request",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "internal",
      "unavailable",
      "rate_limited",
      "too_large",
    ]),
    message: z.string(),
    field: z.optional(z.string()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** GET /api/services/:name — the board view plus what the detail panel needs. */
export const ServiceDetail = z.object({
  service: ServiceView,
  /** The service's config with secrets replaced by "***" (env values, URLs with passwords...). */
  config: z.record(z.string(), z.unknown()),
  /** Every service that (transitively) depends on this one, nearest first. */
  allDependents: z.array(z.string()),
  /** Log lines Vigil holds for this service (process/docker runners), for a "show logs" affordance. */
  logLines: z.number(),
});
export type ServiceDetail = z.infer<typeof ServiceDetail>;

export const LogsQuery = z.object({
  lines: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 200),
});
export const LogsResponse = z.object({
  service: z.string(),
  lines: z.array(
    z.object({ service: z.string(), stream: z.enum(["stdout", "stderr"]), line: z.string(), at: z.string() }),
  ),
});
export type LogsResponse = z.infer<typeof LogsResponse>;

export const EventsResponse = z.object({ events: z.array(EventView) });
export type EventsResponse = z.infer<typeof EventsResponse>;

export const IncidentsQuery = z.object({
  service: z.optional(z.string()),
  /** Default: 7 days before `to`. */
  from: z.optional(Instant),
  /** Default: now. */
  to: z.optional(Instant),
});
export const IncidentsResponse = z.object({ incidents: z.array(Incident) });
export type IncidentsResponse = z.infer<typeof IncidentsResponse>;

export const ActionsQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 50),
});
export const ActionsResponse = z.object({ actions: z.array(ActionView) });
export type ActionsResponse = z.infer<typeof ActionsResponse>;

/** GET /readyz and /healthz. */
export const ReadyResponse = z.object({ ready: z.boolean(), reason: z.nullable(z.string()) });
