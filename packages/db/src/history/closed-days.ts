import type pg from "pg";

/*
 * Closed days of probe_rows without a per-row key (issue 20, storage ≤ 80 bytes a result).
 * While a day is written, its partition has a unique index on (series_id, at): the writer's
 * ON CONFLICT DO NOTHING (no target) uses it, so a retried batch inserts nothing twice. Once the
 * day is closed, packing orders its heap by (series_id, at) and swaps that key (~28–50 bytes a
 * row) for a deduplicated btree on series_id alone (a few bytes a row): one series' rows of the
 * day are then a few adjacent pages found through one posting list. The rare late row (a spooled
 * batch replayed after an outage) is kept from being written twice by an anti-join instead,
 * serialised per day (late-rows.ts).
 */

type Queryable = Pick<pg.PoolClient, "query">;
const DAY = 86_400_000;

/** The unique (series_id, at) index of a probe_rows partition (the live key). */
export const rowKeyIndex = (partition: string): string => `${partition}_key`;
/** The series_id index that replaces the key on a packed day. */
export const seriesIndex = (partition: string): string => `${partition}_series`;

export const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Advisory lock (class, day number): shared by a writer using a day's key, exclusive while packing drops it. */
export const KEY_LOCK = "hashtext('vigil_day_key')";
/** Advisory lock (class, day number) that serialises late-row anti-joins into one packed day. */
export const LATE_LOCK = "hashtext('vigil_late_rows')";
export const dayNumber = (day: number): number => Math.floor(day / DAY);

/** Creates the live key of a probe_rows partition (a plain build: the table is new or not attached). */
export async function createRowKey(client: Queryable, partition: string): Promise<void> {
  await client.query(
    `CREATE UNIQUE INDEX IF NOT EXISTS ${quoted(rowKeyIndex(partition))} ON ${quoted(partition)} (series_id, at)`,
  );
}

interface Shape {
  /** A unique index (the live key), valid or left invalid by an interrupted drop. */
  key: { name: string; valid: boolean; clustered: boolean } | null;
  /** The series_id index, or null; invalid when its concurrent build was interrupted. */
  series: { valid: boolean } | null;
}

async function shapeOf(client: Queryable, partition: string): Promise<Shape> {
  const { rows } = await client.query<{ name: string; unique: boolean; valid: boolean; clustered: boolean }>(
    `SELECT ic.relname AS name, x.indisunique AS unique, x.indisvalid AS valid, x.indisclustered AS clustered
     FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = to_regclass($1)`,
    [quoted(partition)],
  );
  const key = rows.find((r) => r.unique) ?? null;
  const series = rows.find((r) => r.name === seriesIndex(partition)) ?? null;
  return { key, series: series && { valid: series.valid } };
}

/** Whether the partition is packed: its series_id index is built and no key is left. */
export const isPacked = (shape: Shape): boolean => shape.key === null && shape.series?.valid === true;

/**
 * Packs one closed day partition of probe_rows; returns false when it was already packed. Each
 * step is one statement whose effect the catalog shows, so a pass cut short anywhere is finished
 * by the next: CLUSTER (marks the key indisclustered), CREATE INDEX CONCURRENTLY (an interrupted
 * build leaves an invalid index, dropped and built again), then DROP INDEX CONCURRENTLY of the key.
 * CLUSTER locks only this partition (readers and writers of other days go on); lock_timeout keeps
 * it from queueing that day's readers behind a long query.
 */
export async function packDay(client: Queryable, partition: string, day: number): Promise<boolean> {
  const shape = await shapeOf(client, partition);
  if (isPacked(shape)) return false;
  const table = quoted(partition);
  if (shape.key?.valid && !shape.key.clustered && !shape.series?.valid) {
    await client.query("SET lock_timeout = '5s'");
    try {
      await client.query(`CLUSTER ${table} USING ${quoted(shape.key.name)}`);
    } finally {
      await client.query("RESET lock_timeout");
    }
  }
  if (!shape.series?.valid) {
    const index = quoted(seriesIndex(partition));
    if (shape.series) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
    await client.query(`CREATE INDEX CONCURRENTLY ${index} ON ${table} (series_id) WITH (fillfactor = 100)`);
  }
  if (shape.key) {
    // A writer that chose ON CONFLICT for this day holds the lock shared until it commits.
    const lock = [dayNumber(day)];
    await client.query(`SELECT pg_advisory_lock(${KEY_LOCK}, $1)`, lock);
    try {
      await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoted(shape.key.name)}`);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${KEY_LOCK}, $1)`, lock);
    }
  }
  return true;
}
