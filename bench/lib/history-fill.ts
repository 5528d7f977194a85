import type { Pool } from "../../packages/db/node_modules/@types/pg/index.d.ts";
import { createRowKey, rowKeyIndex } from "../../packages/db/src/history/closed-days.ts";
import { dayOf, ensureDayPartitions, partitionName } from "../../packages/db/src/history/partitions.ts";

/*
 * Fills a migrated Vigil database with synthetic history by set-based SQL: raw rows (probe_rows,
 * the lean layout of issue 20: series and reasons dictionaries, one partition a day) from
 * generate_series, the key dropped during the load and rebuilt, as any bulk load does, then minute
 * and hour rollups computed from those rows (read through the probe_results view) exactly as the writer's
 * aggregate() does: count, failures (status unhealthy), min/max/sum of non-null latencies, and the
 * same 66-bucket log histogram (bucket 0 below 1 ms, then 1 + floor(4·log2(ms)), capped at 65;
 * the 1e-9 keeps exact powers of two, where ln(x)/ln(2) can land a hair low, in their own bucket).
 */

export interface FillPlan {
  services: number;
  rows: number;
  spanMs: number;
  /** Results end here (the newest is at `end`). */
  end: Date;
  /** Stop adding raw rows once loading has taken this long; the rows so far are used. */
  budgetMs: number;
}

export interface FillOutcome {
  rows: number;
  phases: Record<string, number>;
}

const CHUNKS = 20;

export function serviceName(i: number): string {
  return `svc-${String(i).padStart(2, "0")}`;
}

export async function fillHistory(
  pool: Pool,
  plan: FillPlan,
  log: (line: string) => void,
): Promise<FillOutcome> {
  const client = await pool.connect();
  const phases: Record<string, number> = {};
  const timed = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await client.query(sql, params);
    phases[name] = (phases[name] ?? 0) + (performance.now() - t);
  };
  try {
    // Session-only memory for the load's sorts and hashes; the queries measured later use defaults.
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query("SET work_mem = '256MB'");
    await client.query("SET statement_timeout = '15min'");
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
    const days: number[] = [];
    for (let d = dayOf(plan.end.getTime() - plan.spanMs); d <= plan.end.getTime(); d += 86_400_000)
      days.push(d);
    await ensureDayPartitions(client, days);
    // Each day's key is built after the load (a bulk build is far faster than per-row inserts).
    const parts = days.map((d) => partitionName("probe_rows", d));
    for (const p of parts) await client.query(`DROP INDEX IF EXISTS ${rowKeyIndex(p)}`);

    // Row g belongs to service g % S and is the (g / S)-th newest of it, one step apart.
    const stepMs = plan.spanMs / Math.ceil(plan.rows / plan.services);
    const chunk = Math.ceil(plan.rows / CHUNKS);
    const started = performance.now();
    let loaded = 0;
    while (loaded < plan.rows) {
      const upto = Math.min(plan.rows, loaded + chunk);
      await timed(
        "raw rows",
        `INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id)
         SELECT (g % $1) + 1,
                date_trunc('milliseconds', $2::timestamptz - ((g / $1) * $3::float8) * interval '1 millisecond'),
                CASE WHEN r < 0.005 THEN 2 WHEN r < 0.02 THEN 1 ELSE 0 END,
                CASE WHEN r < 0.005 THEN NULL
                     ELSE (round((0.8 + 3 * random() + CASE WHEN random() < 0.01 THEN 200 * random() ELSE 0 END)::numeric, 1) * 1000)::int END,
                CASE WHEN r < 0.005 THEN 2 ELSE 1 END
         FROM (SELECT g, random() AS r FROM generate_series($4::bigint, $5::bigint - 1) AS g) AS s`,
        [plan.services, plan.end.toISOString(), stepMs, loaded, upto],
      );
      loaded = upto;
      log(`raw rows: ${loaded}/${plan.rows} after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      if (performance.now() - started > plan.budgetMs && loaded < plan.rows) {
        log(`raw load budget of ${plan.budgetMs / 1000} s reached: keeping ${loaded} rows`);
        break;
      }
    }
    for (const p of parts) {
      const t = performance.now();
      await createRowKey(client, p);
      phases.indexes = (phases.indexes ?? 0) + (performance.now() - t);
    }
    for (const [table, unit] of [
      ["rollup_minute", "minute"],
      ["rollup_hour", "hour"],
    ] as const)
      await timed(
        "rollups",
        `WITH per AS (
           SELECT service, "check", date_trunc('${unit}', at) AS b,
                  CASE WHEN latency_ms IS NULL THEN NULL WHEN latency_ms < 1 THEN 0
                       ELSE least(65, 1 + floor(ln(latency_ms) / ln(2) * 4 + 1e-9))::int END AS hb,
                  count(*) AS n, count(*) FILTER (WHERE status = 'unhealthy') AS f,
                  min(latency_ms) AS mi, max(latency_ms) AS ma, sum(latency_ms) AS su
           FROM probe_results GROUP BY 1, 2, 3, 4),
         g AS (
           SELECT service, "check", b, sum(n)::int AS n, sum(f)::int AS f, min(mi) AS mi, max(ma) AS ma,
                  coalesce(sum(su), 0) AS su, jsonb_object_agg(hb, n) FILTER (WHERE hb IS NOT NULL) AS h
           FROM per GROUP BY 1, 2, 3)
         INSERT INTO ${table} (service, "check", bucket, count, failures, min, max, sum, hist)
         SELECT service, "check", b, n, f, mi, ma, su,
                ARRAY(SELECT coalesce((h ->> i::text)::int, 0) FROM generate_series(0, 65) AS i ORDER BY i)
         FROM g`,
      );
    await timed("analyze", "ANALYZE probe_rows, series, reasons, rollup_minute, rollup_hour");
    return { rows: loaded, phases };
  } finally {
    client.release();
  }
}
