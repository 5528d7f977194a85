import type { Db } from "../client.ts";
import { rawHistory } from "./raw.ts";
import { ROLLUP_COLUMNS, type RollupTuple, rollupPoints } from "./rollup-points.ts";
import { newestPoints } from "./sparklines.ts";
import { DEFAULT_STATEMENT_TIMEOUT_MS, readInOneTrip, withStatementTimeout } from "./statement-timeout.ts";
import type {
  ActionRecord,
  HistoryPoint,
  HistoryQuery,
  Incident,
  Resolution,
  ResultStatus,
  ServiceInput,
  TimeRange,
  ValueSeries,
} from "./types.ts";
import { valueHistory } from "./value-queries.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface HistoryQueries {
  /**
   * Points for one service (all checks merged unless `check` is given) between from and to.
   * "auto" picks raw for ≤ 2 h, minute for ≤ 3 days, hour beyond; minute/hour read only rollups.
   * `uptime` is the share of non-"unhealthy" results in the range (null without data).
   * Raw reads are bounded (raw.ts): ≤ 24 h, ≤ 10,000 rows a page, `next` the cursor of the next
   * page (null when none; rollups are always one page). Throws HistoryInputError for a refused
   * request; Postgres cancels any read past the statement timeout (SQLSTATE 57014).
   */
  history(q: HistoryQuery): Promise<{
    resolution: Resolution;
    points: HistoryPoint[];
    uptime: number | null;
    next: string | null;
  }>;
  /** Check values over the range, one series per (check, value name); same resolution rule as history. */
  values(q: HistoryQuery): Promise<{ resolution: Resolution; series: ValueSeries[] }>;
  /** Share of non-"unhealthy" results over the range (minute rollups ≤ 3 days, else hour); null without data. */
  uptime(q: { service: string; from: Date; to: Date }): Promise<number | null>;
  /**
   * The counts behind `uptime`: results and failed ones in the rollup buckets that start in
   * [from, to). Pass a `to` on a bucket boundary to count complete buckets only.
   */
  uptimeCounts(q: { service: string; from: Date; to: Date }): Promise<{ total: number; failed: number }>;
  /** Latest `points` latencies per service, oldest first, in one query. */
  sparklines(
    services: string[],
    points?: number,
  ): Promise<Record<string, { t: Date; latencyMs: number | null; status: ResultStatus }[]>>;
  /** Timeline events, newest first. */
  events(q: { service?: string; type?: string; from?: Date; to?: Date; limit: number }): Promise<EventRow[]>;
  /** Down periods (to = "unhealthy" until the next transition away from it), newest first. */
  incidents(q: { service?: string; from?: Date; to?: Date }): Promise<Incident[]>;
  /** Actions newest first, optionally those targeting `service`. */
  actions(q: { service?: string; limit: number }): Promise<ActionRecord[]>;
  action(id: string): Promise<ActionRecord | null>;
  /** Inserts or refreshes services (kind, group, status, last_seen); first_seen is kept. */
  upsertServices(list: ServiceInput[]): Promise<void>;
  /** Results dropped on buffer overflow, over the store's whole life (persisted). */
  droppedTotal(): Promise<number>;
}

export interface EventRow {
  id: string;
  type: string;
  service: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  at: Date;
  actionId: string | null;
}

export function pickResolution(from: Date, to: Date): Resolution {
  const span = to.getTime() - from.getTime();
  if (span <= 2 * HOUR) return "raw";
  if (span <= 3 * DAY) return "minute";
  return "hour";
}

const insideAny = (t: Date, ranges: readonly TimeRange[] | undefined): boolean =>
  ranges?.some((r) => r.from <= t && t < r.to) ?? false;

const uptimeOf = (count: number, failures: number) => (count > 0 ? (count - failures) / count : null);

export interface QueryOptions {
  /** Postgres cancels any one read after this long (SET LOCAL statement_timeout). Default 8 s. */
  statementTimeoutMs?: number;
}

/** Read side of the history store; every query is bounded by its range or limit, and by time. */
export function createQueries(db: Db, opts: QueryOptions = {}): HistoryQueries {
  const timeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const q = <T extends object>(sql: string, params: unknown[]) =>
    withStatementTimeout(db.pool, timeoutMs, (c) => c.query<T>(sql, params)).then((r) => r.rows);

  const queries: HistoryQueries = {
    async history({ service, check, from, to, resolution, cursor, limit, exclude }) {
      const res = resolution === "auto" ? pickResolution(from, to) : resolution;
      if (res === "raw") {
        const page = await withStatementTimeout(db.pool, timeoutMs, (c) =>
          rawHistory(c, { service, check: check ?? null, from, to, cursor, limit, exclude }),
        );
        return { resolution: res, ...page };
      }
      const table = res === "minute" ? "rollup_minute" : "rollup_hour";
      const width = res === "minute" ? 60_000 : HOUR;
      // Include the bucket that contains `from`.
      const start = new Date(Math.floor(from.getTime() / width) * width).toISOString();
      const only = check ?? null;
      // Tuples, not objects, and hist as text: rollup-points.ts folds them without per-element churn.
      // The range is written as (service, bucket) row comparisons, which only the key (service,
      // bucket, check) can serve: with `bucket >= … AND bucket < …` the planner took the bucket
      // index whenever a time range holds few services' rows (rollups are written in time order,
      // so that index looks sequential) and filtered every service's rows of the range — at 10
      // services a 24-hour chart read 14,400 rows for its 1,440, 30 ms instead of 3.
      const rows = await readInOneTrip<RollupTuple>(db.pool, timeoutMs, (literal) => {
        const s = literal(service);
        return `SELECT ${ROLLUP_COLUMNS} FROM ${table}
          WHERE service = ${s} AND (service, bucket) >= (${s}, ${literal(start)}::timestamptz)
            AND (service, bucket) < (${s}, ${literal(to.toISOString())}::timestamptz)
            ${only === null ? "" : `AND "check" = ${literal(only)}`}
          ORDER BY bucket`;
      });
      const points = rollupPoints(rows);
      // A bucket counts as in maintenance by its start (minute or hour granularity).
      const counted = points.filter((p) => !insideAny(p.t, exclude));
      return {
        resolution: res,
        points,
        next: null,
        uptime: uptimeOf(
          counted.reduce((s, p) => s + p.count, 0),
          counted.reduce((s, p) => s + p.failures, 0),
        ),
      };
    },

    values: (query) => valueHistory(db, query),

    async uptime(range) {
      const { total, failed } = await queries.uptimeCounts(range);
      return uptimeOf(total, failed);
    },

    async uptimeCounts({ service, from, to }) {
      // Same resolution rule as charts: minute rollups may be pruned sooner than hour rollups.
      const hourly = pickResolution(from, to) === "hour";
      const width = hourly ? HOUR : 60_000;
      const [row] = await q<{ n: string | null; f: string | null }>(
        `SELECT sum(count) AS n, sum(failures) AS f FROM ${hourly ? "rollup_hour" : "rollup_minute"}
         WHERE service = $1 AND bucket >= $2 AND bucket < $3`,
        [service, new Date(Math.floor(from.getTime() / width) * width).toISOString(), to.toISOString()],
      );
      return { total: Number(row?.n ?? 0), failed: Number(row?.f ?? 0) };
    },

    sparklines: (services, points = 30) => newestPoints(q, services, points, new Date()),

    async events({ service, type, from, to, limit }) {
      const rows = await q<EventRow & { action_id: string | null }>(
        `SELECT id::text, type, service, "from", "to", reason, at, action_id FROM events
         WHERE ($1::text IS NULL OR service = $1) AND ($2::text IS NULL OR type = $2)
           AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
         ORDER BY at DESC, id DESC LIMIT $5`,
        [service ?? null, type ?? null, from?.toISOString() ?? null, to?.toISOString() ?? null, limit],
      );
      return rows.map(({ action_id, ...e }) => ({ ...e, actionId: action_id }));
    },

    async incidents({ service, from, to }) {
      const rows = await q<{ service: string; to: string | null; reason: string | null; at: Date }>(
        `SELECT service, "to", reason, at FROM events
         WHERE type = 'transition' AND ($1::text IS NULL OR service = $1)
           AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
         ORDER BY service, at, id`,
        [service ?? null, from?.toISOString() ?? null, to?.toISOString() ?? null],
      );
      const out: Incident[] = [];
      const open = new Map<string, Incident>();
      for (const r of rows) {
        const cur = open.get(r.service);
        if (r.to === "unhealthy" && !cur) {
          const inc = { service: r.service, from: r.at, to: null, reason: r.reason };
          open.set(r.service, inc);
          out.push(inc);
        } else if (r.to !== "unhealthy" && cur) {
          cur.to = r.at;
          open.delete(r.service);
        }
      }
      return out.sort((a, b) => b.from.getTime() - a.from.getTime());
    },

    async actions({ service, limit }) {
      const rows = await db.prisma.action.findMany({
        where: service ? { targets: { has: service } } : {},
        orderBy: { startedAt: "desc" },
        take: limit,
      });
      return rows.map(toAction);
    },

    async action(id) {
      const row = await db.prisma.action.findUnique({ where: { id } });
      return row ? toAction(row) : null;
    },

    async upsertServices(list) {
      const seen = new Date();
      await db.prisma.$transaction(
        list.map((s) =>
          db.prisma.service.upsert({
            where: { name: s.name },
            create: { name: s.name, kind: s.kind, group: s.group ?? null, status: s.status ?? "unknown" },
            update: {
              kind: s.kind,
              group: s.group ?? null,
              lastSeen: seen,
              ...(s.status ? { status: s.status } : {}),
            },
          }),
        ),
      );
    },

    async droppedTotal() {
      const row = await db.prisma.storeMeta.findUnique({ where: { key: "dropped_results" } });
      return Number(row?.value ?? 0n);
    },
  };
  return queries;
}

type PrismaAction = NonNullable<Awaited<ReturnType<Db["prisma"]["action"]["findUnique"]>>>;

function toAction(a: PrismaAction): ActionRecord {
  return {
    id: a.id,
    kind: a.kind,
    targets: a.targets,
    waves: a.waves,
    requestedBy: a.requestedBy,
    role: a.role,
    params: a.params,
    requestId: a.requestId,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    result: a.result,
    message: a.message,
    steps: a.steps,
  };
}
