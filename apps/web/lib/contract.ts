import { z } from "zod";
import { ActionKind, ActionView, ServiceStatus, ServiceView } from "./contract-views";

export * from "./contract-socket";
export * from "./contract-views";

/*
 * The wire contract between Vigil's server and its browsers: REST bodies here, the shared views in
 * contract-views.ts and the Socket.IO payloads in contract-socket.ts, all re-exported from here.
 * Both sides import these schemas; the server validates what it receives with them, and the
 * OpenAPI document is generated from them. Times are ISO-8601 strings with offset.
 */

export const GraphResponse = z.object({
  waves: z.array(z.array(z.string())),
  edges: z.array(z.object({ from: z.string(), to: z.string(), condition: z.enum(["started", "healthy"]) })),
});
export type GraphResponse = z.infer<typeof GraphResponse>;

export const Resolution = z.enum(["raw", "minute", "hour"]);
export type Resolution = z.infer<typeof Resolution>;

export const HistoryQuery = z.object({
  service: z.string().min(1),
  check: z.string().optional(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  resolution: z.union([Resolution, z.literal("auto")]).default("auto"),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** One chart point: a raw result (count 1) or a rollup bucket. Latencies in ms. */
export const HistoryPoint = z.object({
  t: z.string(),
  count: z.number(),
  failures: z.number(),
  min: z.number().nullable(),
  avg: z.number().nullable(),
  max: z.number().nullable(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  /** Raw points only. */
  status: z.enum(["healthy", "degraded", "unhealthy"]).optional(),
  message: z.string().optional(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const HistoryResponse = z.object({
  service: z.string(),
  check: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  resolution: Resolution,
  points: z.array(HistoryPoint),
  uptime: z.number().nullable(),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const EventView = z.object({
  id: z.string(),
  at: z.string(),
  service: z.string().nullable(),
  type: z.enum(["status", "action", "restart"]),
  from: z.string().nullable(),
  to: z.string().nullable(),
  message: z.string(),
  actionId: z.string().nullable(),
});
export type EventView = z.infer<typeof EventView>;

export const EventsQuery = z.object({
  service: z.string().optional(),
  type: z.enum(["status", "action", "restart"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const Incident = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  status: ServiceStatus,
  reason: z.string(),
});
export type Incident = z.infer<typeof Incident>;

export const ActionRequest = z.object({
  kind: ActionKind,
  /** Empty = the whole stack. */
  targets: z.array(z.string()).default([]),
  /** Restart: also restart the services that depend on the targets. */
  withDependents: z.boolean().default(false),
  /** A browser retry with the same key gets the same action instead of a second one. */
  idempotencyKey: z.string().max(100).optional(),
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
    ]),
    message: z.string(),
    field: z.string().optional(),
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

export const LogsQuery = z.object({ lines: z.coerce.number().int().min(1).max(500).default(200) });
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
  service: z.string().optional(),
  /** Default: 7 days before `to`. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Default: now. */
  to: z.iso.datetime({ offset: true }).optional(),
});
export const IncidentsResponse = z.object({ incidents: z.array(Incident) });
export type IncidentsResponse = z.infer<typeof IncidentsResponse>;

export const ActionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
export const ActionsResponse = z.object({ actions: z.array(ActionView) });
export type ActionsResponse = z.infer<typeof ActionsResponse>;

/** GET /readyz and /healthz. */
export const ReadyResponse = z.object({ ready: z.boolean(), reason: z.string().nullable() });
