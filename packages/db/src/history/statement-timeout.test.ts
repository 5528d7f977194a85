import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { isQueryCanceled, readInOneTrip } from "./statement-timeout.ts";
import { createHistoryStore } from "./store.ts";

describe("readInOneTrip (real Postgres)", () => {
  const t = useTestDb();

  it("passes values as literals: quotes and backslashes arrive as written", async () => {
    const odd = ["O'Brien", "back\\slash", "\\'; DROP TABLE series; --", "ünï"];
    const rows = await readInOneTrip<[string, boolean]>(t.db.pool, 1000, (literal) =>
      odd.map((v) => `SELECT ${literal(v)}::text, ${literal(null)} IS NULL`).join(" UNION ALL "),
    );
    expect(rows).toEqual(odd.map((v) => [v, true]));
    expect((await t.db.pool.query("SELECT count(*)::int AS n FROM series")).rows).toEqual([{ n: 0 }]);
  });

  it("refuses a NUL in a value and leaves the pool usable", async () => {
    await expect(readInOneTrip(t.db.pool, 1000, (literal) => `SELECT ${literal("a\0b")}`)).rejects.toThrow(
      /NUL/,
    );
    expect(await readInOneTrip<[number]>(t.db.pool, 1000, () => "SELECT 1")).toEqual([[1]]);
  });

  it("has Postgres cancel a statement past the timeout, read-only, and rolls back", async () => {
    const err = await readInOneTrip(t.db.pool, 200, () => "SELECT pg_sleep(30)").catch((e: unknown) => e);
    expect(isQueryCanceled(err)).toBe(true);
    const write = await readInOneTrip(
      t.db.pool,
      1000,
      () => "INSERT INTO series (service, \"check\") VALUES ('x', 'y')",
    ).catch((e: unknown) => e);
    expect(String(write)).toMatch(/read-only/);
    // Every connection is out of its transaction again.
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it("serves history() rollups of a service whose name needs quoting, one check or all", async () => {
    const store = createHistoryStore({ db: t.db });
    const at = new Date("2026-11-20T10:00:05Z");
    for (const check of ["http", "it's"])
      store.recordResult({
        service: "o'neil\\svc",
        check,
        at,
        status: "healthy",
        latencyMs: 2,
        message: null,
      });
    await store.flush();
    await store.close();
    const window = {
      service: "o'neil\\svc",
      from: new Date("2026-11-20T09:00:00Z"),
      to: new Date("2026-11-20T11:00:00Z"),
    };
    const all = await store.history({ ...window, resolution: "minute" });
    expect(all.points.map((p) => [p.t.toISOString(), p.count])).toEqual([["2026-11-20T10:00:00.000Z", 2]]);
    const one = await store.history({ ...window, check: "it's", resolution: "hour" });
    expect(one.points.map((p) => [p.t.toISOString(), p.count, p.p50])).toEqual([
      ["2026-11-20T10:00:00.000Z", 1, 2],
    ]);
  });
});
