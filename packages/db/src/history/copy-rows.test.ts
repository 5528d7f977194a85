import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../embedded/embedded.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { copyRawRows, type RawRow, serverTakesCopy } from "./copy-rows.ts";

const keyOf = (r: Pick<RawRow, "series" | "at">) => `${r.series}:${r.at}`;

describe("raw rows by binary COPY", () => {
  let tdb: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    pool = new pg.Pool({ connectionString: tdb.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await tdb?.drop();
  });

  const stored = async () =>
    (
      await pool.query<{
        series_id: number;
        us: string;
        status: number;
        latency_us: number | null;
        reason_id: number | null;
      }>(
        `SELECT series_id, (extract(epoch FROM at) * 1000000)::int8::text AS us, status, latency_us, reason_id
         FROM probe_rows ORDER BY series_id, at`,
      )
    ).rows.map((r) => ({
      series: r.series_id,
      at: Number(r.us),
      status: r.status,
      latencyUs: r.latency_us,
      reason: r.reason_id,
    }));

  it("stores every value as encoded: nulls, int4 bounds, instants before 1970 and 2000, microseconds", async () => {
    const rows: RawRow[] = [
      {
        series: 1,
        at: Date.UTC(2026, 11, 1, 0, 58, 7, 123) * 1000 + 999,
        status: 0,
        latencyUs: 1,
        reason: null,
      },
      { series: 1, at: 0, status: 2, latencyUs: null, reason: 7 },
      {
        series: 2,
        at: Date.UTC(1999, 11, 31, 23, 59, 59, 999) * 1000 + 1,
        status: 1,
        latencyUs: 2_147_483_647,
        reason: 2_147_483_647,
      },
      {
        series: 2,
        at: Date.UTC(1969, 6, 20, 20, 17) * 1000 - 1,
        status: 2,
        latencyUs: -2_147_483_647,
        reason: 1,
      },
    ];
    const client = await pool.connect();
    try {
      await copyRawRows(client, rows);
    } finally {
      client.release();
    }
    const byKey = new Map((await stored()).map((r) => [keyOf(r), r]));
    expect(byKey.size).toBe(rows.length);
    for (const r of rows) expect(byKey.get(keyOf(r))).toEqual(r);
  });

  it("fails as a whole with unique_violation when one key is stored already", async () => {
    const before = await stored();
    const fresh: RawRow = { series: 3, at: 1_000_000, status: 0, latencyUs: 5, reason: null };
    const client = await pool.connect();
    try {
      await expect(copyRawRows(client, [fresh, before[0] as RawRow])).rejects.toMatchObject({
        code: "23505",
      });
      // The connection is usable afterwards: the writer goes on with its fallback on it.
      expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows[0]?.one).toBe(1);
    } finally {
      client.release();
    }
    expect(await stored()).toEqual(before);
  });

  it("is used against a real Postgres and not against the embedded PGlite, which drops COPY connections", async () => {
    expect(await serverTakesCopy(pool)).toBe(true);
    const dataDir = await mkdtemp(join(tmpdir(), "vigil-copy-"));
    const embedded = await startEmbeddedPostgres({ dataDir });
    const client = new pg.Client({ connectionString: embedded.url });
    try {
      await client.connect();
      expect(await serverTakesCopy(client)).toBe(false);
    } finally {
      await client.end().catch(() => {});
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
