import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { adoptDefaultRows, dayOf, dropDaysBefore, ensureDayPartitions } from "./partitions.ts";
import { createHistoryStore } from "./store.ts";

const DAY = 86_400_000;

describe("day partitions of raw results (real Postgres)", () => {
  const t = useTestDb();

  const where = async () =>
    (
      await t.db.pool.query<{ name: string; n: number }>(
        "SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM probe_rows GROUP BY 1 ORDER BY 1",
      )
    ).rows;

  it("the writer makes the day's partition; a row that reached the default one moves in when its day is made", async () => {
    const store = createHistoryStore({ db: t.db });
    const at = new Date("2026-11-10T23:59:59.999Z");
    store.recordResult({ service: "p", check: "c", at, status: "healthy", latencyMs: 1, message: "ok" });
    await store.flush();
    expect(await where()).toEqual([{ name: "probe_rows_20261110", n: 1 }]);

    // A day nobody made yet: the row lands in the default partition (the safety net).
    await t.db.pool.query(
      `INSERT INTO probe_rows (series_id, at, status) SELECT id, '2026-11-11T00:00:00Z', 0 FROM series`,
    );
    expect(await where()).toContainEqual({ name: "probe_rows_default", n: 1 });
    const client = await t.db.pool.connect();
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
    await t.db.pool.query("CREATE TABLE probe_rows_20261112 (LIKE probe_rows INCLUDING DEFAULTS)");
    const client = await t.db.pool.connect();
    try {
      await ensureDayPartitions(client, [day]);
      await ensureDayPartitions(client, [day]);
    } finally {
      client.release();
    }
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_inherits WHERE inhrelid = 'probe_rows_20261112'::regclass",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it("drops only the days that ended before the cutoff, whole", async () => {
    const client = await t.db.pool.connect();
    try {
      await dropDaysBefore(client, "probe_rows", new Date(Date.parse("2026-11-12T00:00:00Z") - 1));
      expect(await where()).toEqual([{ name: "probe_rows_20261111", n: 1 }]);
      await dropDaysBefore(client, "probe_rows", new Date(Date.parse("2026-11-12T00:00:00Z") + 2 * DAY));
      expect(await where()).toEqual([]);
    } finally {
      client.release();
    }
  });
});
