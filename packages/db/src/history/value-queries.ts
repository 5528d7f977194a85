import type { Db } from "../client.ts";
import { pickResolution } from "./queries.ts";
import { RESOURCE_CHECK } from "./resources.ts";
import type { HistoryQuery, Resolution, ValueSeries } from "./types.ts";

const HOUR = 3_600_000;

/**
 * Values of one service's checks (or one check) over a range, one series per (check, value name),
 * at the same resolution rule as latency (raw ≤ 2 h, minute ≤ 3 days, hour beyond) so a value chart
 * lines up with the latency chart above it. Two checks reporting the same name stay two series.
 */
export async function valueHistory(
  db: Db,
  { service, check, from, to, resolution }: HistoryQuery,
): Promise<{ resolution: Resolution; series: ValueSeries[] }> {
  const res = resolution === "auto" ? pickResolution(from, to) : resolution;
  const series = new Map<string, ValueSeries>();
  const push = (c: string, name: string, point: ValueSeries["points"][number]) => {
    const key = `${c}\u0000${name}`;
    let s = series.get(key);
    if (!s) {
      s = { check: c, name, points: [] };
      series.set(key, s);
    }
    s.points.push(point);
  };
  if (res === "raw") {
    const { rows } = await db.pool.query<{ check: string; at: Date; value_map: Record<string, unknown> }>(
      `SELECT s."check", x.at, x.value_map FROM probe_row_extras x JOIN series s ON s.id = x.series_id
       WHERE s.service = $1 AND x.at >= $2 AND x.at < $3 AND ($4::text IS NULL OR s."check" = $4)
         AND x.value_map IS NOT NULL ORDER BY x.at, x.series_id`,
      [service, from.toISOString(), to.toISOString(), check ?? null],
    );
    for (const r of rows) {
      for (const [name, v] of Object.entries(r.value_map)) {
        if (typeof v === "number") push(r.check, name, { t: r.at, count: 1, min: v, avg: v, max: v });
      }
    }
    // Raw resource samples have their own table; their rollups already sit beside check values.
    if (check === undefined || check === RESOURCE_CHECK) {
      const samples = await db.pool.query<{ at: Date; value_map: Record<string, unknown> }>(
        `SELECT at, value_map FROM resource_samples
         WHERE service = $1 AND at >= $2 AND at < $3 ORDER BY at, id`,
        [service, from.toISOString(), to.toISOString()],
      );
      for (const r of samples.rows) {
        for (const [name, v] of Object.entries(r.value_map)) {
          if (typeof v === "number")
            push(RESOURCE_CHECK, name, { t: r.at, count: 1, min: v, avg: v, max: v });
        }
      }
    }
  } else {
    const table = res === "minute" ? "rollup_value_minute" : "rollup_value_hour";
    const width = res === "minute" ? 60_000 : HOUR;
    const { rows } = await db.pool.query<{
      check: string;
      name: string;
      bucket: Date;
      count: number;
      min: number;
      max: number;
      sum: number;
    }>(
      `SELECT "check", name, bucket, count, min, max, sum FROM ${table}
       WHERE service = $1 AND bucket >= $2 AND bucket < $3 AND ($4::text IS NULL OR "check" = $4)
       ORDER BY bucket`,
      // Include the bucket that contains `from`, as the latency history does.
      [
        service,
        new Date(Math.floor(from.getTime() / width) * width).toISOString(),
        to.toISOString(),
        check ?? null,
      ],
    );
    for (const r of rows) {
      push(r.check, r.name, { t: r.bucket, count: r.count, min: r.min, avg: r.sum / r.count, max: r.max });
    }
  }
  const list = [...series.values()].sort(
    (a, b) => a.check.localeCompare(b.check) || a.name.localeCompare(b.name),
  );
  return { resolution: res, series: list };
}
