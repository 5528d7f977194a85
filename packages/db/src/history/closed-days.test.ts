import { describe, expect, it } from "vitest";
import { resultBatch } from "../testing/result-batch.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { rowKeyIndex, seriesIndex } from "./closed-days.ts";
import { dayOf, ensureDayPartitions, packClosedDays } from "./partitions.ts";
import { createWriterState, writeBatch } from "./write.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("closed days packed without a per-row key (real Postgres)", () => {
  const t = useTestDb();

  const q = async <T extends object>(sql: string, params: unknown[] = []) =>
    (await t.db.pool.query<T>(sql, params)).rows;
  const indexes = async (partition: string) =>
    (
      await q<{ name: string }>(
        "SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1",
        [partition],
      )
    ).map((r) => r.name);
  const bytes = async (partition: string) =>
    (await q<{ b: number }>("SELECT pg_total_relation_size($1::regclass)::int AS b", [partition]))[0]?.b ?? 0;
  /** Whether the heap holds the rows in (series_id, at) order, as CLUSTER leaves it. */
  const heapOrdered = async (partition: string) =>
    (
      await q<{ ok: boolean }>(
        `SELECT bool_and(k >= prev) AS ok FROM (
           SELECT (series_id, at) AS k, lag((series_id, at)) OVER (ORDER BY ctid) AS prev FROM ${partition}) x
         WHERE prev IS NOT NULL`,
      )
    )[0]?.ok;
  const rows = (day: number) =>
    q(
      `SELECT series_id, at, status, latency_us FROM probe_rows WHERE at >= $1 AND at < $2 ORDER BY series_id, at`,
      [new Date(day).toISOString(), new Date(day + DAY).toISOString()],
    );
  /** As checks write a day: every series' next result after every series' previous one. */
  const fill = (day: number) =>
    t.db.pool.query(
      `INSERT INTO probe_rows (series_id, at, status, latency_us)
       SELECT s, $1::timestamptz + t * interval '10 seconds' + s * interval '1 millisecond', 0, t
       FROM generate_series(0, 59) t, generate_series(1, 300) s ORDER BY t, s`,
      [new Date(day).toISOString()],
    );
  const withClient = async <T>(fn: (c: import("pg").PoolClient) => Promise<T>) => {
    const c = await t.db.pool.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  };

  it("orders a closed day's heap by (series_id, at) and swaps its key for a series_id index, once", async () => {
    const closed = dayOf(Date.parse("2026-11-14T00:00:00Z"));
    const live = closed + DAY;
    await withClient((c) => ensureDayPartitions(c, [closed, live]));
    expect(await indexes("probe_rows_20261114")).toEqual([rowKeyIndex("probe_rows_20261114")]);
    await fill(closed);
    await fill(live);
    const [before, liveBefore] = [await rows(closed), await rows(live)];
    const [closedBytes, liveBytes] = [await bytes("probe_rows_20261114"), await bytes("probe_rows_20261115")];
    expect(await heapOrdered("probe_rows_20261114")).toBe(false);

    const packed = await withClient((c) => packClosedDays(c, new Date(live + HOUR)));
    expect(packed).toContain("probe_rows_20261114");
    expect(packed).not.toContain("probe_rows_20261115");
    expect(await indexes("probe_rows_20261114")).toEqual([seriesIndex("probe_rows_20261114")]);
    expect(await heapOrdered("probe_rows_20261114")).toBe(true);
    expect(await rows(closed)).toEqual(before);
    // 18,000 rows: heap ~115 pages, the series_id index a few; the key alone was ~60–110 pages.
    expect(await bytes("probe_rows_20261114")).toBeLessThan(closedBytes * 0.7);
    expect(await indexes("probe_rows_20261115")).toEqual([rowKeyIndex("probe_rows_20261115")]);
    expect(await bytes("probe_rows_20261115")).toBe(liveBytes);
    expect(await rows(live)).toEqual(liveBefore);
    expect(await withClient((c) => packClosedDays(c, new Date(live + HOUR)))).toEqual([]);
  });

  it("finishes a packing cut short after any step", async () => {
    const days = [Date.UTC(2026, 10, 16), Date.UTC(2026, 10, 17), Date.UTC(2026, 10, 18)];
    const names = ["probe_rows_20261116", "probe_rows_20261117", "probe_rows_20261118"] as const;
    await withClient((c) => ensureDayPartitions(c, days));
    for (const d of days) await fill(d);
    const before = await Promise.all(days.map(rows));
    // Cut after CLUSTER; during the series_id index's concurrent build (left invalid, as an
    // interrupted CREATE INDEX CONCURRENTLY leaves it); before the key's drop.
    await t.db.pool.query(`CLUSTER ${names[0]} USING ${rowKeyIndex(names[0])}`);
    await t.db.pool.query(`CLUSTER ${names[1]} USING ${rowKeyIndex(names[1])}`);
    await t.db.pool.query(`CREATE INDEX ${seriesIndex(names[1])} ON ${names[1]} (series_id)`);
    await t.db.pool.query(
      `UPDATE pg_index SET indisvalid = false WHERE indexrelid = '${seriesIndex(names[1])}'::regclass`,
    );
    await t.db.pool.query(`CREATE INDEX ${seriesIndex(names[2])} ON ${names[2]} (series_id)`);

    const packed = await withClient((c) => packClosedDays(c, new Date(Date.UTC(2026, 10, 19, 1))));
    expect(packed).toEqual(expect.arrayContaining([...names]));
    for (const [i, name] of names.entries()) {
      expect(await indexes(name)).toEqual([seriesIndex(name)]);
      expect(await rows(days[i] as number)).toEqual(before[i]);
    }
    const valid = await q<{ v: boolean }>(
      `SELECT indisvalid AS v FROM pg_index WHERE indexrelid = $1::regclass`,
      [seriesIndex(names[1])],
    );
    expect(valid[0]?.v).toBe(true);
  });

  it("stores a batch replayed into a packed day once, and counts it once", async () => {
    const day = Date.UTC(2026, 10, 12);
    const batch = resultBatch("late", day + 10 * HOUR, 50, 10_000);
    const state = createWriterState();
    // The first half arrives on time; the day is then packed; the whole batch comes back twice.
    expect((await writeBatch(t.db.pool, batch.slice(0, 25), 0, state)).inserted).toBe(25);
    await withClient((c) => packClosedDays(c, new Date(day + DAY + HOUR)));
    expect(await indexes("probe_rows_20261112")).toEqual([seriesIndex("probe_rows_20261112")]);
    expect((await writeBatch(t.db.pool, batch, 0, state)).inserted).toBe(25);
    expect((await writeBatch(t.db.pool, batch, 0, createWriterState())).inserted).toBe(0);

    const stored = await q<{ n: number; keys: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (series_id, at))::int AS keys FROM probe_rows WHERE at >= $1 AND at < $2`,
      [new Date(day).toISOString(), new Date(day + DAY).toISOString()],
    );
    expect(stored[0]).toEqual({ n: 50, keys: 50 });
    const counted = await q<{ n: number }>(
      `SELECT sum(count)::int AS n FROM rollup_minute WHERE service = 'late'`,
    );
    expect(counted[0]?.n).toBe(50);
    const extras = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM probe_results WHERE service = 'late' AND detail IS NOT NULL",
    );
    expect(extras[0]?.n).toBe(10);
  });

  it("stores rows once when two writers replay the same batch into a packed day at the same time", async () => {
    const day = Date.UTC(2026, 10, 10);
    await withClient((c) => ensureDayPartitions(c, [day]));
    await withClient((c) => packClosedDays(c, new Date(day + DAY + HOUR)));
    const batch = resultBatch("twice", day + HOUR, 200, 1000);
    const outcomes = await Promise.all(
      [0, 1, 2].map(() => writeBatch(t.db.pool, batch, 0, createWriterState())),
    );
    expect(outcomes.reduce((n, o) => n + o.inserted, 0)).toBe(200);
    const stored = await q<{ n: number }>("SELECT count(*)::int AS n FROM probe_rows_20261110");
    expect(stored[0]?.n).toBe(200);
  });
});
