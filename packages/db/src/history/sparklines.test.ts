import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { ensureDayPartitions, packClosedDays } from "./partitions.ts";
import { newestPoints } from "./sparklines.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("sparklines across live and packed days (real Postgres)", () => {
  const t = useTestDb();

  it("takes each service's newest points from today, then yesterday, then any older packed day", async () => {
    const today = Date.UTC(2026, 10, 22);
    const c = await t.db.pool.connect();
    try {
      await c.query(
        `INSERT INTO series (service, "check") VALUES ('a', 'x'), ('b', 'x'), ('c', 'x'), ('a', 'y')`,
      );
      await ensureDayPartitions(c, [today - 2 * DAY, today - DAY, today]);
      // [series, day, rows]: a has 10 today + 5 yesterday + 20 two days ago (over two checks),
      // b only 40 two days ago, c 40 today.
      for (const [series, day, n] of [
        [1, today - 2 * DAY, 10],
        [4, today - 2 * DAY, 10],
        [1, today - DAY, 5],
        [1, today, 10],
        [2, today - 2 * DAY, 40],
        [3, today, 40],
      ] as const)
        await c.query(
          `INSERT INTO probe_rows (series_id, at, status, latency_us)
           SELECT $1::int, $2::timestamptz + t * interval '1 minute' + $1::int * interval '1 second', 0, t * 1000
           FROM generate_series(0, $3::int - 1) t`,
          [series, new Date(day).toISOString(), n],
        );
      await packClosedDays(c, new Date(today - DAY + HOUR));
    } finally {
      c.release();
    }
    const q = async <T extends object>(sql: string, params: unknown[]) =>
      (await t.db.pool.query<T>(sql, params)).rows;
    const all = async (service: string) =>
      (
        await q<{ at: Date }>(
          "SELECT at FROM probe_rows r JOIN series s ON s.id = r.series_id WHERE s.service = $1 ORDER BY at DESC LIMIT 30",
          [service],
        )
      )
        .map((r) => r.at)
        .reverse();

    const out = await newestPoints(q, ["a", "b", "c", "none"], 30, new Date(today + 12 * HOUR));
    for (const s of ["a", "b", "c"]) {
      expect(out[s]?.map((p) => p.t)).toEqual(await all(s));
      expect(out[s]).toHaveLength(30);
    }
    expect(out.none).toEqual([]);
    expect(out.c?.at(-1)).toEqual({
      t: new Date(today + 39 * 60_000 + 3000),
      latencyMs: 39,
      status: "healthy",
    });
  });
});
