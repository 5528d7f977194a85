import type pg from "pg";
import { bucketOf, emptyHist } from "./histogram.ts";
import type { ResultInput } from "./types.ts";

/*
 * The minute and hour latency rollups of the rows a batch actually inserted: aggregated here, one
 * row per (service, check, bucket), and merged into the tables in the batch's transaction.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface Agg {
  service: string;
  check: string;
  bucket: number;
  count: number;
  failures: number;
  min: number | null;
  max: number | null;
  sum: number;
  hist: number[];
}

type Rollup = "rollup_minute" | "rollup_hour";

/** Aggregates the rows actually inserted into one rollup row per (service, check, bucket). */
export function aggregate(
  rows: readonly Pick<ResultInput, "service" | "check" | "at" | "status" | "latencyMs">[],
  width: number,
): Agg[] {
  const groups = new Map<string, Agg>();
  for (const r of rows) {
    const bucket = Math.floor(r.at.getTime() / width) * width;
    const key = `${r.service}\u0000${r.check}\u0000${bucket}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        service: r.service,
        check: r.check,
        bucket,
        count: 0,
        failures: 0,
        min: null,
        max: null,
        sum: 0,
        hist: emptyHist(),
      };
      groups.set(key, g);
    }
    g.count++;
    if (r.status === "unhealthy") g.failures++;
    const l = r.latencyMs;
    if (l !== null && Number.isFinite(l)) {
      g.min = g.min === null ? l : Math.min(g.min, l);
      g.max = g.max === null ? l : Math.max(g.max, l);
      g.sum += l;
      const b = bucketOf(l);
      g.hist[b] = (g.hist[b] ?? 0) + 1;
    }
  }
  return [...groups.values()];
}

// Merge, never overwrite: late data and retried batches land in buckets that already exist.
const upsertSql = (table: Rollup) => `
INSERT INTO ${table} (service, "check", bucket, count, failures, min, max, sum, hist)
SELECT s, c, b, n, f, mi, ma, su, h::int[]
FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::text[])
  AS t(s, c, b, n, f, mi, ma, su, h)
ON CONFLICT (service, "check", bucket) DO UPDATE SET
  count = ${table}.count + excluded.count,
  failures = ${table}.failures + excluded.failures,
  min = LEAST(${table}.min, excluded.min),
  max = GREATEST(${table}.max, excluded.max),
  sum = ${table}.sum + excluded.sum,
  hist = ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0)
               FROM unnest(${table}.hist, excluded.hist) WITH ORDINALITY AS z(x, y, i) ORDER BY i)`;

/** Merges `aggs` into `table`. */
export async function upsertRollups(
  client: pg.PoolClient,
  table: Rollup,
  aggs: readonly Agg[],
): Promise<void> {
  if (aggs.length === 0) return;
  await client.query(upsertSql(table), [
    aggs.map((a) => a.service),
    aggs.map((a) => a.check),
    aggs.map((a) => new Date(a.bucket).toISOString()),
    aggs.map((a) => a.count),
    aggs.map((a) => a.failures),
    aggs.map((a) => a.min),
    aggs.map((a) => a.max),
    aggs.map((a) => a.sum),
    aggs.map((a) => `{${a.hist.join(",")}}`),
  ]);
}
