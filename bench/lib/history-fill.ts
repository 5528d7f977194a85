import type { Pool, PoolClient } from "../../packages/db/node_modules/@types/pg/index.d.ts";
import { createRowKey, rowKeyIndex } from "../../packages/db/src/history/closed-days.ts";
import { dayOf, ensureDayPartitions, partitionName } from "../../packages/db/src/history/partitions.ts";

/*
 * Fills a migrated Vigil database with synthetic history by set-based SQL: raw rows (probe_rows,
 * the lean layout of issue 20: series and reasons dictionaries, one partition a day) from
 * generate_series, and in the same statement the minute and hour rollups of exactly those rows,
 * as the writer's aggregate() makes them: count, failures (status unhealthy), min/max/sum of
 * non-null latencies, and the same 66-bucket log histogram (bucket 0 below 1 ms, then
 * 1 + floor(4·log2(ms)), capped at 65; the 1e-9 keeps exact powers of two, where ln(x)/ln(2) can
 * land a hair low, in their own bucket). The sum is added in whole µs, then divided once.
 *
 * One statement a day, newest day first (a budget cut keeps the newest days whole): the day's rows
 * are made once (a materialized CTE, since random() is volatile), inserted in (series_id, at)
 * order, and aggregated by minute and hour; a day holds whole minutes and hours, so every rollup
 * row is complete when inserted. Reading the rows back through the probe_results view instead cost
 * 21 µs a row (43 s of a 58 s fill of 2 M rows), which made 100 M rows a 45-minute fill.
 *
 * Days ending at or before `closedBefore` are left ordered by (series_id, at) and without a key,
 * the heap packClosedDays makes with CLUSTER: packing them then only builds their series_id index.
 * Every other day gets its key after the load (a bulk build is far faster than per-row inserts).
 */

export interface FillPlan {
  services: number;
  rows: number;
  spanMs: number;
  /** Results end here (the newest is at `end`). */
  end: Date;
  /** Start no further day once loading has taken this long; the days so far are used. */
  budgetMs: number;
  /** Days ending at or before this are left for packClosedDays (see above); none when omitted. */
  closedBefore?: Date;
  /** Days loaded at once, each on its own connection. Default 1. */
  parallel?: number;
}

export interface FillOutcome {
  rows: number;
  phases: Record<string, number>;
}

const DAY = 86_400_000;
const UNHEALTHY = 2;

export function serviceName(i: number): string {
  return `svc-${String(i).padStart(2, "0")}`;
}

const LATENCY_BUCKET = `CASE WHEN latency_us IS NULL THEN NULL WHEN latency_us < 1000 THEN 0
  ELSE least(65, 1 + floor(ln(latency_us::float8 / 1000) / ln(2) * 4 + 1e-9))::int END`;

// (hb, n) pairs of one bucket to the 66-slot histogram (array_position: at most a few dozen hbs).
const HIST = `ARRAY(SELECT coalesce(ns[array_position(hbs, i)], 0) FROM generate_series(0, 65) AS i ORDER BY i)`;

const rollupInsert = (table: "rollup_minute" | "rollup_hour", from: string) => `
  INSERT INTO ${table} (service, "check", bucket, count, failures, min, max, sum, hist)
  SELECT s.service, s."check", g.b, g.n, g.f, g.mi, g.ma, g.su, ${HIST}
  FROM (SELECT series_id, b, sum(n)::int AS n, sum(f)::int AS f, min(mi)::float8 / 1000 AS mi,
               max(ma)::float8 / 1000 AS ma, coalesce(sum(su), 0) / 1000 AS su,
               array_agg(hb) FILTER (WHERE hb IS NOT NULL) AS hbs, array_agg(n) FILTER (WHERE hb IS NOT NULL) AS ns
        FROM ${from} GROUP BY series_id, b) AS g
  JOIN series s ON s.id = g.series_id
  ORDER BY g.b, s.service`;

/*
 * $1 services, $2 end, $3 step (ms), $4 first k, $5 ks per service, $6 day start, $7 day end.
 * Row k of a service (0 = newest) is at end − k·step; i walks services, then k downwards (time up).
 */
const DAY_SQL = `
WITH gen AS (
  SELECT * FROM (
    SELECT (i / $5) + 1 AS series_id,
           date_trunc('milliseconds', $2::timestamptz - (($4 + $5 - 1 - i % $5) * $3::float8) * interval '1 millisecond') AS at,
           CASE WHEN r < 0.005 THEN 2 WHEN r < 0.02 THEN 1 ELSE 0 END::int2 AS status,
           CASE WHEN r < 0.005 THEN NULL
                ELSE (round((0.8 + 3 * random() + CASE WHEN random() < 0.01 THEN 200 * random() ELSE 0 END)::numeric, 1) * 1000)::int END AS latency_us,
           CASE WHEN r < 0.005 THEN 2 ELSE 1 END AS reason_id
    FROM (SELECT i, random() AS r FROM generate_series(0::bigint, $1::bigint * $5 - 1) AS i) AS x) AS y
  WHERE at >= $6 AND at < $7),
raw AS (
  INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id)
  SELECT series_id, at, status, latency_us, reason_id FROM gen),
pm AS (
  SELECT series_id, date_bin('1 minute', at, timestamptz 'epoch') AS b, ${LATENCY_BUCKET} AS hb,
         count(*)::int AS n, count(*) FILTER (WHERE status = ${UNHEALTHY})::int AS f,
         min(latency_us) AS mi, max(latency_us) AS ma, sum(latency_us::float8) AS su
  FROM gen GROUP BY 1, 2, 3),
ph AS (
  SELECT series_id, date_bin('1 hour', b, timestamptz 'epoch') AS b, hb, sum(n)::int AS n, sum(f)::int AS f,
         min(mi) AS mi, max(ma) AS ma, sum(su) AS su
  FROM pm GROUP BY 1, 2, 3),
hours AS (${rollupInsert("rollup_hour", "ph")} RETURNING 1),
minutes AS (${rollupInsert("rollup_minute", "pm")} RETURNING 1)
SELECT (SELECT count(*) FROM gen)::int AS rows, (SELECT count(*) FROM minutes)::int AS minutes,
       (SELECT count(*) FROM hours)::int AS hours`;

export async function fillHistory(
  pool: Pool,
  plan: FillPlan,
  log: (line: string) => void,
): Promise<FillOutcome> {
  const phases: Record<string, number> = {};
  const add = (name: string, ms: number) => {
    phases[name] = (phases[name] ?? 0) + ms;
  };
  const session = async (client: PoolClient) => {
    // Session-only memory for the load's sorts and hashes; the queries measured later use defaults.
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query("SET work_mem = '256MB'");
    await client.query("SET statement_timeout = '15min'");
  };
  const days: number[] = [];
  const client = await pool.connect();
  try {
    await session(client);
    // Dictionaries and one partition per day of the span, as the writer would have made them.
    await client.query(
      `INSERT INTO series (service, "check") SELECT 'svc-' || lpad(i::text, 2, '0'), 'health'
       FROM generate_series(0, $1::int - 1) AS i ORDER BY i`,
      [plan.services],
    );
    await client.query(
      `INSERT INTO reasons (key, text) SELECT md5(t)::uuid, t
       FROM unnest(ARRAY['HTTP 200', 'connect ECONNREFUSED 127.0.0.1:8080']) AS t`,
    );
    // Newest first: the order the days are loaded in.
    for (let d = dayOf(plan.end.getTime()); d >= dayOf(plan.end.getTime() - plan.spanMs); d -= DAY)
      days.push(d);
    await ensureDayPartitions(client, days);
    for (const d of days)
      await client.query(`DROP INDEX IF EXISTS ${rowKeyIndex(partitionName("probe_rows", d))}`);
  } finally {
    client.release();
  }

  const perService = Math.floor(plan.rows / plan.services);
  const stepMs = plan.spanMs / perService;
  const end = plan.end.getTime();
  const started = performance.now();
  let loaded = 0;
  let next = 0;
  let stopped = false;
  const worker = async () => {
    const c = await pool.connect();
    try {
      await session(c);
      for (let at = next++; at < days.length && !stopped; at = next++) {
        if (performance.now() - started > plan.budgetMs) {
          stopped = true;
          log(
            `raw load budget of ${plan.budgetMs / 1000} s reached: keeping ${loaded} rows (the newest days)`,
          );
          break;
        }
        const day = days[at] ?? 0;
        // The ks whose instant may fall on this day (the SQL keeps those that do).
        const first = Math.max(0, Math.floor((end - day - DAY) / stepMs));
        const last = Math.min(perService - 1, Math.ceil((end - day) / stepMs));
        if (first > last) continue;
        const t = performance.now();
        const { rows } = await c.query<{ rows: number; minutes: number; hours: number }>(DAY_SQL, [
          plan.services,
          plan.end.toISOString(),
          stepMs,
          first,
          last - first + 1,
          new Date(day).toISOString(),
          new Date(day + DAY).toISOString(),
        ]);
        add("rows and rollups", performance.now() - t);
        loaded += rows[0]?.rows ?? 0;
        log(
          `${new Date(day).toISOString().slice(0, 10)}: ${rows[0]?.rows} rows, ${rows[0]?.minutes} minute and ${rows[0]?.hours} hour rollups in ${((performance.now() - t) / 1000).toFixed(1)} s; ${loaded} rows after ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
    } finally {
      c.release();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, plan.parallel ?? 1) }, worker));

  const keyed = await pool.connect();
  try {
    await session(keyed);
    const closed = plan.closedBefore?.getTime() ?? Number.NEGATIVE_INFINITY;
    for (const d of days) {
      if (d + DAY <= closed) continue;
      const t = performance.now();
      await createRowKey(keyed, partitionName("probe_rows", d));
      add("keys", performance.now() - t);
    }
    const t = performance.now();
    await keyed.query("ANALYZE probe_rows, series, reasons, rollup_minute, rollup_hour");
    add("analyze", performance.now() - t);
  } finally {
    keyed.release();
  }
  return { rows: loaded, phases };
}
