import type pg from "pg";
import type { ResultInput } from "./types.ts";

/*
 * Write side of check values: the rollups of `values` ({ days_remaining: 12.4 }) per
 * (service, check, value name, bucket), merged like the latency rollups so late data and
 * retried batches add up instead of overwriting. Raw values ride in probe_results.value_map.
 */

/** At most this many values per result are kept: a kind reports a handful, never a map of thousands. */
export const MAX_VALUES_PER_RESULT = 16;
const NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** The values worth storing: finite numbers under well-formed names, bounded in count; null if none. */
export function storableValues(values: ResultInput["values"]): Record<string, number> | null {
  if (values === undefined || values === null) return null;
  const out: Record<string, number> = {};
  let n = 0;
  for (const [name, value] of Object.entries(values)) {
    if (n >= MAX_VALUES_PER_RESULT) break;
    if (!NAME.test(name) || typeof value !== "number" || !Number.isFinite(value)) continue;
    out[name] = value;
    n++;
  }
  return n > 0 ? out : null;
}

export interface ValueAgg {
  service: string;
  check: string;
  name: string;
  bucket: number;
  count: number;
  min: number;
  max: number;
  sum: number;
}

/** One rollup row per (service, check, value name, bucket) of `width` ms. */
export function aggregateValues(
  rows: readonly Pick<ResultInput, "service" | "check" | "at" | "values">[],
  width: number,
): ValueAgg[] {
  const groups = new Map<string, ValueAgg>();
  for (const r of rows) {
    const values = storableValues(r.values);
    if (values === null) continue;
    const bucket = Math.floor(r.at.getTime() / width) * width;
    for (const [name, value] of Object.entries(values)) {
      const key = `${r.service}\u0000${r.check}\u0000${name}\u0000${bucket}`;
      const g = groups.get(key);
      if (!g) {
        groups.set(key, {
          service: r.service,
          check: r.check,
          name,
          bucket,
          count: 1,
          min: value,
          max: value,
          sum: value,
        });
        continue;
      }
      g.count++;
      g.min = Math.min(g.min, value);
      g.max = Math.max(g.max, value);
      g.sum += value;
    }
  }
  return [...groups.values()];
}

const upsertSql = (table: "rollup_value_minute" | "rollup_value_hour") => `
INSERT INTO ${table} (service, "check", name, bucket, count, min, max, sum)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::float8[], $7::float8[], $8::float8[])
ON CONFLICT (service, "check", name, bucket) DO UPDATE SET
  count = ${table}.count + excluded.count,
  min = LEAST(${table}.min, excluded.min),
  max = GREATEST(${table}.max, excluded.max),
  sum = ${table}.sum + excluded.sum`;

export async function upsertValueRollups(
  client: pg.PoolClient,
  table: "rollup_value_minute" | "rollup_value_hour",
  aggs: readonly ValueAgg[],
): Promise<void> {
  if (aggs.length === 0) return;
  await client.query(upsertSql(table), [
    aggs.map((a) => a.service),
    aggs.map((a) => a.check),
    aggs.map((a) => a.name),
    aggs.map((a) => new Date(a.bucket).toISOString()),
    aggs.map((a) => a.count),
    aggs.map((a) => a.min),
    aggs.map((a) => a.max),
    aggs.map((a) => a.sum),
  ]);
}
