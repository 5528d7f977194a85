import { statusName } from "./raw.ts";
import type { ResultStatus } from "./types.ts";

const DAY = 86_400_000;

export type Sparklines = Record<string, { t: Date; latencyMs: number | null; status: ResultStatus }[]>;
type Query = <T extends object>(sql: string, params: unknown[]) => Promise<T[]>;

// Per series the newest rows since $3, then the newest across the service's checks.
const NEWEST = `
SELECT s.name, x.at, x.latency_us::float8 / 1000 AS latency_ms, x.status FROM unnest($1::text[]) AS s(name)
CROSS JOIN LATERAL (
  SELECT y.at, y.latency_us, y.status FROM series sr
  CROSS JOIN LATERAL (SELECT at, latency_us, status FROM probe_rows
                      WHERE series_id = sr.id AND at >= $3 ORDER BY at DESC LIMIT $2) y
  WHERE sr.service = s.name ORDER BY y.at DESC LIMIT $2) x`;

/**
 * The newest `points` results per service, oldest first. Today's and yesterday's partitions
 * still have their (series_id, at) key, which hands each series' newest rows in order; a packed
 * day has only a series_id index, so reading one series there means sorting its rows of the
 * day. So the services are read from today first, those still short from yesterday, and only
 * the rest (a service quiet since yesterday) over every day.
 */
export async function newestPoints(
  q: Query,
  services: string[],
  points: number,
  now: Date,
): Promise<Sparklines> {
  const out: Sparklines = Object.fromEntries(services.map((s) => [s, []]));
  const today = Math.floor(now.getTime() / DAY) * DAY;
  let pending = services;
  for (const since of [today, today - DAY, 0]) {
    if (pending.length === 0) break;
    const rows = await q<{ name: string; at: Date; latency_ms: number | null; status: number }>(NEWEST, [
      pending,
      points,
      new Date(since).toISOString(),
    ]);
    const found: Sparklines = Object.fromEntries(pending.map((s) => [s, []]));
    for (const r of rows)
      found[r.name]?.push({ t: r.at, latencyMs: r.latency_ms, status: statusName(r.status) });
    // A wider window holds all of a narrower one's rows, so a short service is read again whole.
    for (const [name, list] of Object.entries(found)) out[name] = list.reverse();
    pending = pending.filter((s) => (found[s]?.length ?? 0) < points);
  }
  return out;
}
