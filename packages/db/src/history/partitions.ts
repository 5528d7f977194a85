import type pg from "pg";
import { createRowKey, packDay, quoted } from "./closed-days.ts";

/*
 * probe_rows and probe_row_extras are partitioned by UTC day (issue 20), so retention drops a
 * whole day in constant time instead of deleting rows. Partitions are made ahead by the retention
 * job and on first sight of a day by the writer; a row for a day not made yet lands in the default
 * partition (the safety net), and making that day moves it in.
 */

export const PARTITIONED = ["probe_rows", "probe_row_extras"] as const;
const DAY = 86_400_000;

export const dayOf = (ms: number): number => Math.floor(ms / DAY) * DAY;
export const partitionName = (parent: string, day: number): string =>
  `${parent}_${new Date(day).toISOString().slice(0, 10).replaceAll("-", "")}`;

type Queryable = Pick<pg.PoolClient, "query">;

/**
 * Creates the day partition of each partitioned raw table for each day (UTC day starts in ms);
 * idempotent and safe against a concurrent caller (advisory lock per partition). No explicit
 * transaction: each step is one statement, and a step cut short (crash between create and
 * attach) is finished by the next call, which attaches a table that exists but is not attached.
 */
export async function ensureDayPartitions(client: Queryable, days: readonly number[]): Promise<void> {
  for (const day of days) {
    for (const parent of PARTITIONED) {
      const name = partitionName(parent, day);
      const lo = new Date(day).toISOString();
      const hi = new Date(day + DAY).toISOString();
      const lock = [name];
      await client.query("SELECT pg_advisory_lock(hashtext('vigil_day_partition'), hashtext($1))", lock);
      try {
        const { rows } = await client.query<{ exists: boolean; attached: boolean }>(
          `SELECT to_regclass($1) IS NOT NULL AS exists,
                  EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1)) AS attached`,
          [name],
        );
        if (rows[0]?.attached) continue;
        if (!rows[0]?.exists) await client.query(`CREATE TABLE ${name} (LIKE ${parent} INCLUDING DEFAULTS)`);
        // probe_rows has no key on the parent (closed days drop theirs): each partition gets its own.
        if (parent === "probe_rows") await createRowKey(client, name);
        await client.query(
          `WITH moved AS (DELETE FROM ${parent}_default WHERE at >= $1 AND at < $2 RETURNING *)
           INSERT INTO ${name} SELECT * FROM moved`,
          [lo, hi],
        );
        await client.query(
          `ALTER TABLE ${parent} ATTACH PARTITION ${name} FOR VALUES FROM ('${lo}') TO ('${hi}')`,
        );
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('vigil_day_partition'), hashtext($1))", lock);
      }
    }
  }
}

/** Makes the partitions of every day found in the default partitions (after a migration or a gap). */
export async function adoptDefaultRows(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ day: Date }>(
    `SELECT DISTINCT date_trunc('day', at, 'UTC') AS day FROM probe_rows_default
     UNION SELECT DISTINCT date_trunc('day', at, 'UTC') FROM probe_row_extras_default`,
  );
  await ensureDayPartitions(
    client,
    rows.map((r) => r.day.getTime()),
  );
  return rows.length;
}

/** Remembers which days exist so the writer asks Postgres once per day, not once per batch. */
export class PartitionDays {
  private readonly known = new Set<number>();

  async ensure(client: Queryable, instants: readonly Date[]): Promise<void> {
    const fresh = new Set<number>();
    for (const at of instants) {
      const day = dayOf(at.getTime());
      if (!this.known.has(day)) fresh.add(day);
    }
    if (fresh.size === 0) return;
    await ensureDayPartitions(client, [...fresh]);
    // Bounded: a long-running writer sees a new day once a day; a replay of old days adds a few.
    if (this.known.size > 1_000) this.known.clear();
    for (const d of fresh) this.known.add(d);
  }
}

interface DayPartition {
  name: string;
  /** UTC start of the partition's day (ms). */
  day: number;
  /** Rows by the planner's estimate (reltuples, 0 if never analyzed). */
  estimate: number;
}

/** The day partitions of `parent` (not the default one), from the catalog alone. */
async function dayPartitions(client: Queryable, parent: string): Promise<DayPartition[]> {
  const { rows } = await client.query<{ name: string; day: string; estimate: number }>(
    `SELECT c.relname AS name, substring(c.relname from '_(\\d{8})$') AS day,
            greatest(c.reltuples, 0)::float8 AS estimate
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass AND c.relname ~ '_\\d{8}$'`,
    [parent],
  );
  return rows
    .map((r) => ({
      ...r,
      day: Date.parse(`${r.day.slice(0, 4)}-${r.day.slice(4, 6)}-${r.day.slice(6, 8)}T00:00:00Z`),
    }))
    .filter((r) => !Number.isNaN(r.day));
}

/**
 * Drops the day partitions of `parent` that end at or before `cutoff` (catalog-only work, no row
 * is read); returns the rows they held by the planner's estimate (reltuples, 0 if never analyzed).
 */
export async function dropDaysBefore(client: Queryable, parent: string, cutoff: Date): Promise<number> {
  let dropped = 0;
  for (const p of await dayPartitions(client, parent)) {
    if (p.day + DAY > cutoff.getTime()) continue;
    // DETACH first would wait for readers the same way; DROP of a partition locks only it and the parent briefly.
    await client.query(`DROP TABLE IF EXISTS ${quoted(p.name)}`);
    dropped += Math.round(p.estimate);
  }
  return dropped;
}

/**
 * Packs each day partition that ended at or before `closedBefore`, once: probe_rows by ordering
 * the day's heap by (series_id, at) and swapping its key for a series_id index (closed-days.ts),
 * probe_row_extras (few rows, read by their key) by rebuilding its key full. Returns the
 * partitions packed.
 */
export async function packClosedDays(client: Queryable, closedBefore: Date): Promise<string[]> {
  const packed: string[] = [];
  for (const parent of PARTITIONED) {
    for (const p of await dayPartitions(client, parent)) {
      if (p.day + DAY > closedBefore.getTime()) continue;
      const done =
        parent === "probe_rows" ? await packDay(client, p.name, p.day) : await packKey(client, p.name);
      if (done) packed.push(p.name);
    }
  }
  return packed;
}

/**
 * Rebuilds a partition's primary key packed full (fillfactor 100, which also marks it done).
 * While a day is live every series appends at its own place in the key, so pages split in half
 * and stay about half full; a closed day gets no more rows but the rare late one.
 * CONCURRENTLY, so a late write or a read of that day never waits on it.
 */
async function packKey(client: Queryable, partition: string): Promise<boolean> {
  const { rows } = await client.query<{ index: string; packed: boolean }>(
    `SELECT ic.relname AS index, coalesce(ic.reloptions @> '{fillfactor=100}', false) AS packed
     FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
     WHERE x.indrelid = to_regclass($1) AND x.indisprimary`,
    [quoted(partition)],
  );
  const key = rows[0];
  if (key === undefined || key.packed) return false;
  await client.query(`ALTER INDEX ${quoted(key.index)} SET (fillfactor = 100)`);
  try {
    await client.query(`REINDEX INDEX CONCURRENTLY ${quoted(key.index)}`);
  } catch (err) {
    // Not packed after all: leave no mark, so the next pass tries again.
    await client.query(`ALTER INDEX ${quoted(key.index)} RESET (fillfactor)`);
    throw err;
  }
  return true;
}
