import type pg from "pg";
import { dayNumber, KEY_LOCK, LATE_LOCK, quoted } from "./closed-days.ts";
import { type RawRow, returnedIndexes, rowArrays } from "./copy-rows.ts";
import { dayOf, partitionName } from "./partitions.ts";

/*
 * Rows for a day whose key packing has dropped (closed-days.ts): a late result, or a spooled
 * batch replayed after a long outage. With no unique index there, neither COPY nor ON CONFLICT
 * would stop a row from being stored twice, so these rows go through an anti-join, one day at a
 * time under that day's advisory lock so two writers cannot both find a row missing.
 */

type Queryable = Pick<pg.PoolClient, "query">;
const DAY = 86_400_000;

export const dayOfMicros = (us: number): number => dayOf(Math.floor(us / 1000));

/**
 * Of the batch's days, those whose partition has no valid key. Call inside the batch's
 * transaction, before writing: the shared lock taken per day keeps packing from dropping a key
 * that this transaction then relies on, until it commits.
 */
export async function keylessDays(client: Queryable, days: ReadonlySet<number>): Promise<Set<number>> {
  const list = [...days].sort((a, b) => a - b);
  await client.query(`SELECT pg_advisory_xact_lock_shared(${KEY_LOCK}, d) FROM unnest($1::int4[]) AS d`, [
    list.map(dayNumber),
  ]);
  // A separate statement: its snapshot is taken after the locks, so it sees any finished drop.
  const { rows } = await client.query<{ i: number }>(
    `SELECT (n.i - 1)::int AS i FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i)
     WHERE to_regclass(n.name) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_index x
                       WHERE x.indrelid = to_regclass(n.name) AND x.indisunique AND x.indisvalid)`,
    [list.map((d) => quoted(partitionName("probe_rows", d)))],
  );
  return new Set(rows.map((r) => list[r.i] as number));
}

const INSERT_MISSING = `
INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id)
SELECT t.s, t.at, t.st, t.l, t.r
FROM (SELECT s, timestamptz 'epoch' + a * interval '1 microsecond' AS at, st, l, r
      FROM unnest($1::int4[], $2::int8[], $3::int2[], $4::int4[], $5::int4[]) AS u(s, a, st, l, r)) AS t
WHERE NOT EXISTS (SELECT 1 FROM probe_rows p
                  WHERE p.at >= $6 AND p.at < $7 AND p.series_id = t.s AND p.at = t.at)
RETURNING series_id, (extract(epoch FROM at) * 1000000)::int8::text AS us`;

/** Inserts the rows of one keyless day that are not stored yet; returns the indexes of those inserted. */
export async function insertLateRows(
  client: Queryable,
  day: number,
  rows: readonly RawRow[],
): Promise<number[]> {
  await client.query(`SELECT pg_advisory_xact_lock(${LATE_LOCK}, $1)`, [dayNumber(day)]);
  const res = await client.query<{ series_id: number; us: string }>(INSERT_MISSING, [
    ...rowArrays(rows),
    new Date(day).toISOString(),
    new Date(day + DAY).toISOString(),
  ]);
  return returnedIndexes(rows, res.rows);
}
