import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/*
 * The raw rows of a batch as one binary COPY (issue 20): Postgres reads the values as they are
 * stored, with no per-row parsing, planning or conflict arbitration. COPY has no ON CONFLICT, so
 * it is the fast path for a batch of rows that are all new; a key already present fails it with
 * unique_violation and the caller takes the exact path instead (write.ts).
 */

export interface RawRow {
  series: number;
  /** Microseconds since the Unix epoch. */
  at: number;
  status: number;
  latencyUs: number | null;
  reason: number | null;
}

/** The rows as the five arrays an `unnest($1::int4[], $2::int8[], $3::int2[], $4::int4[], $5::int4[])` takes. */
export const rowArrays = (rows: readonly RawRow[]): unknown[] => [
  rows.map((r) => r.series),
  rows.map((r) => r.at),
  rows.map((r) => r.status),
  rows.map((r) => r.latencyUs),
  rows.map((r) => r.reason),
];

/** Indexes of the rows whose key an INSERT … RETURNING series_id, at (µs as text) reported. */
export function returnedIndexes(
  rows: readonly RawRow[],
  returned: readonly { series_id: number; us: string }[],
): number[] {
  const fresh = new Set(returned.map((r) => `${r.series_id}:${r.us}`));
  return rows.flatMap((r, i) => (fresh.has(`${r.series}:${r.at}`) ? [i] : []));
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER_BYTES = SIGNATURE.length + 8; // flags + header extension length
/** Field count, then length + value of int4, int8, int2, int4, int4. */
const MAX_ROW_BYTES = 2 + 8 + 12 + 6 + 8 + 8;
const FIELDS = 5;
/** Postgres counts timestamps from 2000-01-01T00:00:00Z. */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;

/** COPY's binary encoding of `rows`: header, one tuple per row, trailer. */
export function encodeRawRows(rows: readonly RawRow[]): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_BYTES + rows.length * MAX_ROW_BYTES + 2);
  let o = SIGNATURE.copy(buf, 0);
  o = buf.writeInt32BE(0, o);
  o = buf.writeInt32BE(0, o);
  for (const r of rows) {
    o = buf.writeInt16BE(FIELDS, o);
    o = buf.writeInt32BE(4, o);
    o = buf.writeInt32BE(r.series, o);
    // int8 as two halves: a BigInt per row would cost more than the rest of the row.
    const us = r.at - PG_EPOCH_US;
    const hi = Math.floor(us / TWO_32);
    o = buf.writeInt32BE(8, o);
    o = buf.writeInt32BE(hi, o);
    o = buf.writeUInt32BE(us - hi * TWO_32, o);
    o = buf.writeInt32BE(2, o);
    o = buf.writeInt16BE(r.status, o);
    o = writeNullableInt4(buf, o, r.latencyUs);
    o = writeNullableInt4(buf, o, r.reason);
  }
  o = buf.writeInt16BE(-1, o);
  return buf.subarray(0, o);
}

function writeNullableInt4(buf: Buffer, o: number, v: number | null): number {
  if (v === null) return buf.writeInt32BE(-1, o);
  return buf.writeInt32BE(v, buf.writeInt32BE(4, o));
}

const COPY_SQL = "COPY probe_rows (series_id, at, status, latency_us, reason_id) FROM STDIN (FORMAT binary)";

/** Streams `rows` into probe_rows; rejects with Postgres's error (23505 if a key exists). */
export async function copyRawRows(client: pg.PoolClient, rows: readonly RawRow[]): Promise<void> {
  await pipeline(Readable.from([encodeRawRows(rows)]), client.query(copyFrom(COPY_SQL)));
}

/**
 * Whether the server takes COPY FROM STDIN. PGlite's socket server does not: it drops the
 * connection ("protocol synchronization was lost"), so the embedded store keeps to INSERT.
 */
export async function serverTakesCopy(client: Pick<pg.PoolClient, "query">): Promise<boolean> {
  const { rows } = await client.query<{ version: string }>("SELECT version()");
  return !(rows[0]?.version ?? "").includes("PGlite");
}
