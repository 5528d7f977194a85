import type { OutboxEntry } from "@vigil/orchestrator";
import type { SentRequest } from "@vigil/orchestrator/notify";
import type { Db } from "../client.ts";
import { abortable } from "./abortable.ts";
import { toEntry } from "./outbox-store.ts";

export interface ChannelSummary {
  channel: string;
  sent: number;
  failed: number;
  pending: number;
  lastAttemptAt: Date | null;
  lastOk: boolean | null;
  lastError: string | null;
}

export interface DeliveryLogRow {
  id: string;
  entryId: string;
  channel: string;
  at: Date;
  durationMs: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  request: SentRequest | null;
  event: string;
  title: string;
  state: string;
}

/** Reads for the Notifications page and /metrics. */
export function createAlertQueries(db: Pick<Db, "pool">) {
  const { pool } = db;
  return {
    async channels(signal: AbortSignal): Promise<ChannelSummary[]> {
      const { rows } = await abortable(
        pool.query<ChannelSummary>(
          `SELECT o.channel,
                  count(*) FILTER (WHERE o.state = 'sent')::int AS sent,
                  count(*) FILTER (WHERE o.state = 'failed')::int AS failed,
                  count(*) FILTER (WHERE o.state = 'pending')::int AS pending,
                  last.at AS "lastAttemptAt", last.ok AS "lastOk", last.error AS "lastError"
           FROM alert_outbox o
           LEFT JOIN LATERAL (SELECT at, ok, error FROM alert_deliveries d WHERE d.channel = o.channel ORDER BY at DESC LIMIT 1) last ON true
           GROUP BY o.channel, last.at, last.ok, last.error ORDER BY o.channel`,
        ),
        signal,
      );
      return rows;
    },
    async deliveries(
      filter: { channel?: string; limit?: number },
      signal: AbortSignal,
    ): Promise<DeliveryLogRow[]> {
      const { rows } = await abortable(
        pool.query<DeliveryLogRow>(
          `SELECT d.id, d.entry_id AS "entryId", d.channel, d.at, d.duration_ms AS "durationMs", d.ok, d.status, d.error,
                  d.request, o.event, o.notification->>'title' AS title, o.state
           FROM alert_deliveries d JOIN alert_outbox o ON o.id = d.entry_id
           WHERE ($1::text IS NULL OR d.channel = $1) ORDER BY d.at DESC, d.id DESC LIMIT $2`,
          [filter.channel ?? null, Math.min(filter.limit ?? 100, 1000)],
        ),
        signal,
      );
      return rows;
    },
    async entry(id: string, signal: AbortSignal): Promise<OutboxEntry | undefined> {
      const { rows } = await abortable(
        pool.query(
          `SELECT id, channel, notification, state, attempts, created_at, next_attempt_at, sent_at, last_error
           FROM alert_outbox WHERE id = $1`,
          [id],
        ),
        signal,
      );
      return rows[0] ? toEntry(rows[0]) : undefined;
    },
  };
}
export type AlertQueries = ReturnType<typeof createAlertQueries>;
