import { z } from "zod";

/*
 * The parts of the server's REST answers the CLI reads (apps/web/lib/contract*.ts is the full
 * contract; the CLI depends on the engine only, so it validates the fields it uses here).
 */

export const RemoteService = z.object({
  name: z.string(),
  kind: z.string(),
  wave: z.number(),
  status: z.string(),
  reason: z.string(),
  latencyMs: z.number().nullable(),
  since: z.string(),
  restarts: z.number(),
  runtimeState: z.string(),
  checks: z.array(
    z.object({ name: z.string(), state: z.string(), lastMessage: z.string().nullable() }).loose(),
  ),
});
export type RemoteService = z.infer<typeof RemoteService>;

export const RemoteServices = z.object({ project: z.string(), services: z.array(RemoteService) });

export const RemoteAccepted = z.object({
  actionId: z.string(),
  deduplicated: z.boolean(),
  plan: z.object({ waves: z.array(z.array(z.string())) }),
});

export const RemoteStep = z.object({
  service: z.string(),
  state: z.string(),
  at: z.string(),
  message: z.string().nullable(),
});

export const RemoteAction = z.object({
  id: z.string(),
  kind: z.string(),
  requestedBy: z.string(),
  result: z.enum(["running", "succeeded", "failed", "cancelled"]),
  message: z.string().nullable(),
  steps: z.array(RemoteStep),
});
export type RemoteAction = z.infer<typeof RemoteAction>;

export const RemoteLogs = z.object({
  lines: z.array(z.object({ service: z.string(), stream: z.string(), line: z.string(), at: z.string() })),
});

export const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** POST /api/alerts/silences. */
export const RemoteSilenced = z.object({ service: z.string(), until: z.string() });

/** POST /api/alerts/channels/:name/test: the outbox entries written (one per channel). */
export const RemoteQueued = z.object({ ids: z.array(z.string()) });

/** GET /api/alerts/deliveries: one row per attempt, with its outbox entry's state. */
export const RemoteDeliveries = z.object({
  deliveries: z.array(
    z.object({
      entryId: z.string(),
      ok: z.boolean(),
      status: z.number().nullable(),
      error: z.string().nullable(),
      durationMs: z.number(),
      state: z.string(),
    }),
  ),
});
export type RemoteDelivery = z.infer<typeof RemoteDeliveries>["deliveries"][number];
