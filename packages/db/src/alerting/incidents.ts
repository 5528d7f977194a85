import type { Db } from "../client.ts";
import { abortable } from "./abortable.ts";

/** An incident row as the API shows it. */
export interface StoredIncident {
  key: string;
  rootService: string;
  severity: string;
  title: string;
  affected: string[];
  openedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
}

export interface StoredIncidentEvent {
  id: string;
  at: Date;
  kind: string;
  actor: string | null;
  text: string;
}

export interface IncidentFilter {
  state?: "open" | "resolved" | "all";
  service?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

/**
 * Incident rows. Every write is idempotent (upserts, app-chosen event ids) so it can be queued
 * behind the outbox in the recorder and retried after a database outage.
 */
export function createIncidentStore(db: Pick<Db, "pool">) {
  const { pool } = db;
  return {
    async open(
      i: Omit<StoredIncident, "acknowledgedAt" | "acknowledgedBy" | "resolvedAt">,
      signal: AbortSignal,
    ) {
      await abortable(
        pool.query(
          `INSERT INTO incidents (key, root_service, severity, title, affected, opened_at) VALUES ($1,$2,$3,$4,$5,$6)
           ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, affected = EXCLUDED.affected`,
          [i.key, i.rootService, i.severity, i.title, i.affected, i.openedAt],
        ),
        signal,
      );
    },
    async acknowledge(key: string, by: string, at: Date, signal: AbortSignal) {
      await abortable(
        pool.query(
          "UPDATE incidents SET acknowledged_at = $2, acknowledged_by = $3 WHERE key = $1 AND acknowledged_at IS NULL",
          [key, at, by],
        ),
        signal,
      );
    },
    async resolve(key: string, at: Date, signal: AbortSignal) {
      await abortable(
        pool.query("UPDATE incidents SET resolved_at = $2 WHERE key = $1 AND resolved_at IS NULL", [key, at]),
        signal,
      );
    },
    async event(key: string, e: StoredIncidentEvent, signal: AbortSignal) {
      await abortable(
        pool.query(
          `INSERT INTO incident_events (id, incident_key, at, kind, actor, text) VALUES ($1,$2,$3,$4,$5,$6)
           ON CONFLICT (id) DO NOTHING`,
          [e.id, key, e.at, e.kind, e.actor, e.text],
        ),
        signal,
      );
    },
    /** A manual silence; written once even when the write is retried (same service and window). */
    async silence(s: { service: string; from: Date; until: Date; by: string }, signal: AbortSignal) {
      await abortable(
        pool.query(
          `INSERT INTO alert_silences (service, from_at, until_at, created_by)
           SELECT $1::text, $2::timestamptz, $3::timestamptz, $4::text
           WHERE NOT EXISTS (SELECT 1 FROM alert_silences WHERE service = $1 AND from_at = $2 AND until_at = $3)`,
          [s.service, s.from, s.until, s.by],
        ),
        signal,
      );
    },
    /** Silences still running at `now` (loaded at start so a restart keeps them). */
    async activeSilences(now: Date, signal: AbortSignal) {
      const { rows } = await abortable(
        pool.query<SilenceRow>(
          "SELECT service, from_at, until_at, created_by FROM alert_silences WHERE until_at > $1 ORDER BY from_at",
          [now],
        ),
        signal,
      );
      return rows.map(toSilence);
    },
    /** One service's silences overlapping [from, to): the service page's uptime leaves them out. */
    async silencesBetween(service: string, from: Date, to: Date, signal: AbortSignal) {
      const { rows } = await abortable(
        pool.query<SilenceRow>(
          `SELECT service, from_at, until_at, created_by FROM alert_silences
           WHERE service = $1 AND from_at < $3 AND until_at > $2 ORDER BY from_at LIMIT 10000`,
          [service, from, to],
        ),
        signal,
      );
      return rows.map(toSilence);
    },
    async list(filter: IncidentFilter, signal: AbortSignal): Promise<StoredIncident[]> {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        values.push(value);
        where.push(sql.replaceAll("?", `$${values.length}`));
      };
      if (filter.state === "open") where.push("resolved_at IS NULL");
      if (filter.state === "resolved") where.push("resolved_at IS NOT NULL");
      if (filter.service) add("(root_service = ? OR ? = ANY(affected))", filter.service);
      if (filter.from) add("coalesce(resolved_at, 'infinity') >= ?", filter.from);
      if (filter.to) add("opened_at <= ?", filter.to);
      values.push(Math.min(filter.limit ?? 100, 1000));
      const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                   ORDER BY opened_at DESC LIMIT $${values.length}`;
      const { rows } = await abortable(pool.query<IncidentRow>(sql, values), signal);
      return rows.map(fromRow);
    },
    async get(key: string, signal: AbortSignal) {
      const { rows } = await abortable(
        pool.query<IncidentRow>("SELECT * FROM incidents WHERE key = $1", [key]),
        signal,
      );
      if (!rows[0]) return undefined;
      const events = await abortable(
        pool.query<StoredIncidentEvent>(
          "SELECT id, at, kind, actor, text FROM incident_events WHERE incident_key = $1 ORDER BY at, id LIMIT 1000",
          [key],
        ),
        signal,
      );
      return { incident: fromRow(rows[0]), timeline: events.rows };
    },
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;

interface SilenceRow {
  service: string;
  from_at: Date;
  until_at: Date;
  created_by: string;
}

const toSilence = (r: SilenceRow) => ({
  service: r.service,
  from: r.from_at,
  until: r.until_at,
  by: r.created_by,
});

interface IncidentRow {
  key: string;
  root_service: string;
  severity: string;
  title: string;
  affected: string[];
  opened_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
}

function fromRow(r: IncidentRow): StoredIncident {
  return {
    key: r.key,
    rootService: r.root_service,
    severity: r.severity,
    title: r.title,
    affected: r.affected,
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
  };
}
