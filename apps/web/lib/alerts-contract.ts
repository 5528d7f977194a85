import * as z from "zod/mini";

/* The alerting REST API's shapes (validated inputs, documented outputs). Times are ISO-8601 UTC. */

export const IncidentsQuery = z.object({
  state: z._default(z.enum(["open", "resolved", "all"]), "all"),
  service: z.optional(z.string().check(z.minLength(1))),
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 100),
});

export const IncidentView = z.object({
  key: z.string(),
  rootService: z.string(),
  severity: z.string(),
  title: z.string(),
  affected: z.array(z.string()),
  openedAt: z.string(),
  acknowledgedAt: z.nullable(z.string()),
  acknowledgedBy: z.nullable(z.string()),
  resolvedAt: z.nullable(z.string()),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const IncidentsResponse = z.object({ incidents: z.array(IncidentView) });
export const IncidentDetail = z.object({
  incident: IncidentView,
  timeline: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      kind: z.string(),
      actor: z.nullable(z.string()),
      text: z.string(),
    }),
  ),
});

export const ChannelsResponse = z.object({
  channels: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      sent: z.number(),
      failed: z.number(),
      pending: z.number(),
      queued: z.number(),
      lastAttemptAt: z.nullable(z.string()),
      lastOk: z.nullable(z.boolean()),
      lastError: z.nullable(z.string()),
    }),
  ),
});

export const DeliveriesQuery = z.object({
  channel: z.optional(z.string().check(z.minLength(1))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 100),
});
export const DeliveriesResponse = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      entryId: z.string(),
      channel: z.string(),
      at: z.string(),
      durationMs: z.number(),
      ok: z.boolean(),
      status: z.nullable(z.number()),
      error: z.nullable(z.string()),
      request: z.unknown(),
      event: z.string(),
      title: z.string(),
      state: z.string(),
    }),
  ),
});

export const NoteRequest = z.strictObject({
  text: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
});
export const RetryRequest = z.strictObject({ id: z.string().check(z.minLength(1)) });
export const SilenceRequest = z.strictObject({
  service: z.string().check(z.minLength(1)),
  /** "1h", "30m" or milliseconds. */
  duration: z.union([z.string().check(z.minLength(1)), z.number().check(z.int(), z.positive())]),
});
export const SilenceAccepted = z.object({ service: z.string(), until: z.string() });
export const Accepted = z.object({ ok: z.literal(true), ids: z.array(z.string()) });
export const MaintenanceResponse = z.object({ services: z.array(z.string()) });
