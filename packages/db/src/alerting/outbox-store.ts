import type { OutboxEntry, OutboxStore } from "@vigil/orchestrator";
import type { Notification } from "@vigil/orchestrator/notify";
import type { Db } from "../client.ts";
import { abortable, connectAbortable } from "./abortable.ts";

interface OutboxRow {
  id: string;
  channel: string;
  notification: Notification;
  state: OutboxEntry["state"];
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
  last_error: string | null;
}

/**
 * The outbox in Postgres. Raw SQL with ON CONFLICT makes every write idempotent on the entry and
 * attempt ids, which is what lets the recorder retry a write whose answer it never saw.
 */
export function createOutboxStore(db: Pick<Db, "pool">): OutboxStore {
  const { pool } = db;
  return {
    async add(entries, signal) {
      if (entries.length === 0) return;
      const values: unknown[] = [];
      const rows = entries.map((e) => placeholders(values, [...entryColumns(e)], { 6: "::jsonb" }));
      await abortable(
        pool.query(
          `INSERT INTO alert_outbox (id, channel, notification_id, incident_key, event, notification, state, attempts, created_at, next_attempt_at)
           VALUES ${rows.join(",")} ON CONFLICT (id) DO NOTHING`,
          values,
        ),
        signal,
      );
    },

    async record(batch, signal) {
      if (batch.length === 0) return;
      // One row per entry in one statement (ON CONFLICT cannot touch a row twice): its latest state.
      const latest = new Map<string, OutboxEntry>();
      for (const { entry } of batch) latest.set(entry.id, entry);
      const entryValues: unknown[] = [];
      const entryRows = [...latest.values()].map((entry) =>
        placeholders(
          entryValues,
          [
            ...entryColumns(entry),
            entry.sentAt === undefined ? null : new Date(entry.sentAt),
            entry.lastError ?? null,
          ],
          { 6: "::jsonb" },
        ),
      );
      const attemptValues: unknown[] = [];
      const attemptRows = batch.map(({ attempt: a }) =>
        placeholders(
          attemptValues,
          [
            a.id,
            a.entryId,
            a.channel,
            new Date(a.at),
            Math.round(a.durationMs),
            a.ok,
            a.status ?? null,
            a.error ?? null,
            a.request === undefined ? null : JSON.stringify(a.request),
            a.response ?? null,
          ],
          { 9: "::jsonb" },
        ),
      );
      const client = await connectAbortable(pool, signal);
      let broken: Error | undefined;
      try {
        await abortable(client.query("BEGIN"), signal);
        // Upsert: the `add` of an entry may not have reached the store yet (it is retried in order).
        await abortable(
          client.query(
            `INSERT INTO alert_outbox (id, channel, notification_id, incident_key, event, notification, state, attempts, created_at, next_attempt_at, sent_at, last_error)
             VALUES ${entryRows.join(",")}
             ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, attempts = GREATEST(alert_outbox.attempts, EXCLUDED.attempts),
               next_attempt_at = EXCLUDED.next_attempt_at, sent_at = EXCLUDED.sent_at, last_error = EXCLUDED.last_error
             WHERE alert_outbox.state = 'pending' OR alert_outbox.attempts <= EXCLUDED.attempts`,
            entryValues,
          ),
          signal,
        );
        await abortable(
          client.query(
            `INSERT INTO alert_deliveries (id, entry_id, channel, at, duration_ms, ok, status, error, request, response)
             VALUES ${attemptRows.join(",")} ON CONFLICT (id) DO NOTHING`,
            attemptValues,
          ),
          signal,
        );
        await abortable(client.query("COMMIT"), signal);
      } catch (error) {
        // An aborted query may still be running on this connection: drop it rather than reuse it.
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(broken);
      }
    },

    async pending(signal) {
      const { rows } = await abortable(
        pool.query<OutboxRow>(
          `SELECT id, channel, notification, state, attempts, created_at, next_attempt_at, sent_at, last_error
           FROM alert_outbox WHERE state = 'pending' ORDER BY created_at, id LIMIT 10000`,
        ),
        signal,
      );
      return rows.map(toEntry);
    },
  };
}

/** Appends `row` to `values` and returns its `($n,…)` tuple; `casts` maps a 1-based column to a cast. */
function placeholders(values: unknown[], row: unknown[], casts: Record<number, string> = {}): string {
  const start = values.length;
  values.push(...row);
  return `(${row.map((_, i) => `$${start + i + 1}${casts[i + 1] ?? ""}`).join(",")})`;
}

/** id, channel, notification_id, incident_key, event, notification, state, attempts, created_at, next_attempt_at. */
function entryColumns(e: OutboxEntry): unknown[] {
  const n = e.notification;
  return [
    e.id,
    e.channel,
    n.id,
    n.incidentKey,
    n.event,
    JSON.stringify(n),
    e.state,
    e.attempts,
    new Date(e.createdAt),
    new Date(e.nextAttemptAt),
  ];
}

export function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    channel: row.channel,
    notification: row.notification,
    createdAt: row.created_at.getTime(),
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at.getTime(),
    lastError: row.last_error ?? undefined,
    sentAt: row.sent_at?.getTime(),
  };
}
