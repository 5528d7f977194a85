import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import {
  adoptDefaultRows,
  dayOf,
  dropDaysBefore,
  ensureDayPartitions,
  packClosedDays,
} from "./partitions.ts";
import { createHistoryStore } from "./store.ts";

const DAY = 86_400_000;

describe("day partitions of raw results (real Postgres)", () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const where = async () =>
    (
      await db.pool.query<{ name: string; n: number }>(
        "SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM probe_rows GROUP BY 1 ORDER BY 1",
      )
    ).rows;

  it("the writer makes the day's partition; a row that reached the default one moves in when its day is made", async () => {
    const store = createHistoryStore({ db });
    const at = new Date("2026-11-10T23:59:59.999Z");
    store.recordResult({ service: "p", check: "c", at, status: "healthy", latencyMs: 1, message: "ok" });
    await store.flush();
    expect(await where()).toEqual([{ name: "probe_rows_20261110", n: 1 }]);

    // A day nobody made yet: the row lands in the default partition (the safety net).
    await db.pool.query(
      `INSERT INTO probe_rows (series_id, at, status) SELECT id, '2026-11-11T00:00:00Z', 0 FROM series`,
    );
    expect(await where()).toContainEqual({ name: "probe_rows_default", n: 1 });
    const client = await db.pool.connect();
    try {
      expect(await adoptDefaultRows(client)).toBe(1);
    } finally {
      client.release();
    }
    expect(await where()).toEqual([
      { name: "probe_rows_20261110", n: 1 },
      { name: "probe_rows_20261111", n: 1 },
    ]);
    await store.close();
  });

  it("finishes a partition left created but not attached (a crash between the two steps)", async () => {
    const day = dayOf(Date.parse("2026-11-12T00:00:00Z"));
    await db.pool.query("CREATE TABLE probe_rows_20261112 (LIKE probe_rows INCLUDING DEFAULTS)");
    const client = await db.pool.connect();
    try {
      await ensureDayPartitions(client, [day]);
      await ensureDayPartitions(client, [day]);
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_inherits WHERE inhrelid = 'probe_rows_20261112'::regclass",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("drops only the days that ended before the cutoff, whole", async () => {
    const client = await db.pool.connect();
    try {
      await dropDaysBefore(client, "probe_rows", new Date(Date.parse("2026-11-12T00:00:00Z") - 1));
      expect(await where()).toEqual([{ name: "probe_rows_20261111", n: 1 }]);
      await dropDaysBefore(client, "probe_rows", new Date(Date.parse("2026-11-12T00:00:00Z") + 2 * DAY));
      expect(await where()).toEqual([]);
    } finally {
      client.release();
    }
  });

  it("packs the key of a closed day once, leaving the rows, the key and a live day as they were", async () => {
    const closed = dayOf(Date.parse("2026-11-14T00:00:00Z"));
    const live = closed + DAY;
    const indexBytes = async (name: string) =>
      (await db.pool.query<{ b: number }>(`SELECT pg_relation_size('${name}_pkey')::int AS b`)).rows[0]?.b ??
      0;
    const client = await db.pool.connect();
    try {
      await ensureDayPartitions(client, [closed, live]);
      // As checks write them: every series' next result after every series' previous one.
      for (const day of [closed, live])
        await client.query(
          `INSERT INTO probe_rows (series_id, at, status, latency_us)
           SELECT s, $1::timestamptz + t * interval '10 seconds' + s * interval '1 millisecond', 0, t
           FROM generate_series(0, 59) t, generate_series(1, 300) s ORDER BY t, s`,
          [new Date(day).toISOString()],
        );
      const rows = async () =>
        (await client.query("SELECT series_id, at, latency_us FROM probe_rows ORDER BY series_id, at")).rows;
      const before = await rows();
      const [closedBefore, liveBefore] = [
        await indexBytes("probe_rows_20261114"),
        await indexBytes("probe_rows_20261115"),
      ];

      const packed = await packClosedDays(client, new Date(live + 3_600_000));
      expect(packed).toContain("probe_rows_20261114");
      expect(packed).not.toContain("probe_rows_20261115");
      // 18,000 keys of 28 bytes fill ~62 pages packed; the live-order build left far more.
      expect(await indexBytes("probe_rows_20261114")).toBeLessThan(closedBefore * 0.75);
      expect(await indexBytes("probe_rows_20261115")).toBe(liveBefore);
      expect(await rows()).toEqual(before);
      expect(await packClosedDays(client, new Date(live + 3_600_000))).toEqual([]);
      // Still the key: a retried row of the packed day inserts nothing.
      const again = await client.query(
        `INSERT INTO probe_rows (series_id, at, status) VALUES (1, $1::timestamptz + interval '1 millisecond', 0)
         ON CONFLICT DO NOTHING`,
        [new Date(closed).toISOString()],
      );
      expect(again.rowCount).toBe(0);
    } finally {
      client.release();
    }
  });
});
