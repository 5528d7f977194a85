import type pg from "pg";
import type { HistoryPoint, ResultStatus, TimeRange } from "./types.ts";

/*
 * Raw history (one point per stored result), bounded: a span of at most 24 h per request and at
 * most 10,000 rows per page, the next page named by a keyset cursor (the last row's time and id).
 * Before this a viewer could ask `resolution=raw` over ten years and get every row at once
 * (issue 19, finding 9). Longer windows read the minute/hour rollups.
 */

const HOUR = 3_600_000;
/** probe_rows.status codes (0 healthy, 1 degraded, 2 unhealthy), as the writer stores them. */
const STATUS_NAMES: readonly ResultStatus[] = ["healthy", "degraded", "unhealthy"];
const UNHEALTHY = 2;
export const statusName = (code: number): ResultStatus => STATUS_NAMES[code] ?? "unhealthy";
export const RAW_MAX_SPAN_MS = 24 * HOUR;
export const RAW_PAGE_ROWS = 10_000;

/** A history request the store refuses; `field` names the request field at fault. */
export class HistoryInputError extends Error {
  constructor(
    readonly field: "resolution" | "cursor",
    message: string,
  ) {
    super(message);
    this.name = "HistoryInputError";
  }
}

interface Cursor {
  /** The row's instant in µs since the epoch (rows keep microseconds: instants.ts). */
  us: string;
  id: string;
}

/** Opaque to clients: base64url of "<µs since epoch>|<series id>". */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.us}|${c.id}`, "utf8").toString("base64url");
}

export function decodeCursor(text: string): Cursor {
  const [us, id, extra] = Buffer.from(text, "base64url").toString("utf8").split("|");
  if (extra !== undefined || !id || !/^\d{1,10}$/.test(id) || !us || !/^-?\d{1,17}$/.test(us))
    throw new HistoryInputError("cursor", "cursor: not a cursor this server handed out");
  return { us, id };
}

export interface RawQuery {
  service: string;
  check: string | null;
  from: Date;
  to: Date;
  cursor?: string | undefined;
  limit?: number | undefined;
  /** Results inside these ranges do not count towards `uptime` (maintenance). */
  exclude?: readonly TimeRange[] | undefined;
}

export interface RawPage {
  points: HistoryPoint[];
  /** Over the whole window, not only this page. */
  uptime: number | null;
  /** Cursor for the next page; null on the last one. */
  next: string | null;
}

export async function rawHistory(client: pg.PoolClient, q: RawQuery): Promise<RawPage> {
  const span = q.to.getTime() - q.from.getTime();
  if (span > RAW_MAX_SPAN_MS)
    throw new HistoryInputError(
      "resolution",
      `resolution=raw: at most 24 h per request (asked ${Math.ceil(span / HOUR)} h); choose minute or hour, or a shorter window`,
    );
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? RAW_PAGE_ROWS)), RAW_PAGE_ROWS);
  const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
  const window = [q.service, q.from.toISOString(), q.to.toISOString(), q.check];
  // Within one service two checks may share an instant: (at, series_id) orders and pages them.
  const { rows } = await client.query<{
    id: string;
    us: string;
    at: Date;
    status: number;
    latency_ms: number | null;
    message: string | null;
  }>(
    `SELECT r.series_id::text AS id, (extract(epoch FROM r.at) * 1000000)::int8::text AS us, r.at, r.status, r.latency_us::float8 / 1000 AS latency_ms, m.text AS message
     FROM probe_rows r JOIN series s ON s.id = r.series_id LEFT JOIN reasons m ON m.id = r.reason_id
     WHERE s.service = $1 AND r.at >= $2 AND r.at < $3 AND ($4::text IS NULL OR s."check" = $4)
       AND ($5::int8 IS NULL OR (r.at, r.series_id) > (timestamptz 'epoch' + $5::int8 * interval '1 microsecond', $6::int8))
     ORDER BY r.at, r.series_id LIMIT $7`,
    [...window, after?.us ?? null, after?.id ?? null, limit + 1],
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const [totals] = (
    await client.query<{ n: number; f: number }>(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE r.status = ${UNHEALTHY}))::int AS f
       FROM probe_rows r JOIN series s ON s.id = r.series_id
       WHERE s.service = $1 AND r.at >= $2 AND r.at < $3 AND ($4::text IS NULL OR s."check" = $4)
         AND NOT EXISTS (SELECT 1 FROM unnest($5::timestamptz[], $6::timestamptz[]) AS m(f, t)
                         WHERE at >= m.f AND at < m.t)`,
      [
        ...window,
        (q.exclude ?? []).map((r) => r.from.toISOString()),
        (q.exclude ?? []).map((r) => r.to.toISOString()),
      ],
    )
  ).rows;
  const n = totals?.n ?? 0;
  return {
    points: page.map((r) => {
      const l = r.latency_ms;
      const status = statusName(r.status);
      return {
        t: r.at,
        count: 1,
        failures: status === "unhealthy" ? 1 : 0,
        min: l,
        avg: l,
        max: l,
        p50: l,
        p95: l,
        p99: l,
        status,
        message: r.message,
      };
    }),
    uptime: n > 0 ? (n - (totals?.f ?? 0)) / n : null,
    next: more && last ? encodeCursor({ us: last.us, id: last.id }) : null,
  };
}
