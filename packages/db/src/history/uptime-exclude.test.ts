import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { createHistoryStore, type HistoryStore } from "./store.ts";

/* Maintenance left out of the range uptime: raw results inside a range, rollup buckets starting in one. */
describe("uptime without maintenance ranges (real Postgres)", () => {
  let tdb: TestDatabase;
  let db: Db;
  let store: HistoryStore;
  const t0 = new Date("2026-11-20T10:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
    store = createHistoryStore({ db, flushIntervalMs: 20 });
    // 10:00:00–10:00:09 down (the maintenance), then 10 healthy results, and 10:01:00 one more down.
    for (let i = 0; i < 20; i++)
      store.recordResult({
        service: "db",
        check: "tcp",
        at: at(i),
        status: i < 10 ? "unhealthy" : "healthy",
        latencyMs: i,
        message: null,
      });
    store.recordResult({
      service: "db",
      check: "tcp",
      at: at(60),
      status: "unhealthy",
      latencyMs: 1,
      message: null,
    });
    await store.flush();
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await tdb?.drop();
  });

  const window = { service: "db", from: t0, to: new Date(t0.getTime() + 3_600_000) };

  it("raw: results inside a range do not count; every point is still returned", async () => {
    const all = await store.history({ ...window, resolution: "raw" });
    expect(all.uptime).toBeCloseTo(10 / 21);
    const page = await store.history({ ...window, resolution: "raw", exclude: [{ from: t0, to: at(10) }] });
    expect(page.points).toHaveLength(21);
    expect(page.uptime).toBeCloseTo(10 / 11);
  });

  it("minute rollups: a bucket starting inside a range does not count", async () => {
    const all = await store.history({ ...window, resolution: "minute" });
    expect(all.uptime).toBeCloseTo(10 / 21);
    const skipFirst = await store.history({
      ...window,
      resolution: "minute",
      exclude: [{ from: t0, to: at(60) }],
    });
    expect(skipFirst.points).toHaveLength(2);
    expect(skipFirst.uptime).toBe(0);
    const skipBoth = await store.history({
      ...window,
      resolution: "minute",
      exclude: [{ from: t0, to: at(120) }],
    });
    expect(skipBoth.uptime).toBeNull();
  });
});
