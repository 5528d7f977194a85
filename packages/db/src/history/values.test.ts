import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { createHistoryStore, type HistoryStore } from "./store.ts";
import { storableValues } from "./values.ts";

describe("check values in the history store (real Postgres)", () => {
  let tdb: TestDatabase;
  let db: Db;
  let store: HistoryStore;
  const t0 = new Date("2026-11-20T10:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
    store = createHistoryStore({ db, batchSize: 500, flushIntervalMs: 50, now: () => at(0) });
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await tdb?.drop();
  });

  const result = (s: number, values: Record<string, number> | undefined, check = "tls", id?: string) =>
    store.recordResult({
      ...(id ? { id } : {}),
      service: "web",
      check,
      at: at(s),
      status: "healthy",
      latencyMs: 5,
      message: "ok",
      ...(values ? { values } : {}),
    });

  it("keeps only finite numbers under well-formed names, bounded in count", () => {
    expect(storableValues({ days_remaining: 12.4, bad: Number.NaN, "Not A Name": 1, inf: Infinity })).toEqual(
      {
        days_remaining: 12.4,
      },
    );
    expect(storableValues({})).toBeNull();
    expect(storableValues(undefined)).toBeNull();
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, i]));
    expect(Object.keys(storableValues(many) ?? {})).toHaveLength(16);
  });

  it("stores values with the raw result, rolls them up per minute and hour, and reads them back", async () => {
    // Two minutes of a tls check (days_remaining falling) and a queue check with two values.
    for (let s = 0; s < 120; s += 10) result(s, { days_remaining: 30 - s / 60 });
    for (let s = 0; s < 120; s += 30) result(s, { queue_depth: s, consumers: 2 }, "amqp");
    result(5, undefined, "http"); // a kind without values adds no value rows
    const id = "5d0c6f0e-9a51-4c3e-9d7e-3d8a2b6f1c11";
    result(200, { days_remaining: 1 }, "tls", id);
    result(200, { days_remaining: 1 }, "tls", id); // a retried write must not count twice
    await store.flush();

    const { rows: raw } = await db.pool.query(
      `SELECT value_map FROM probe_results WHERE "check" = 'http' OR ("check" = 'amqp' AND at = $1)`,
      [at(30).toISOString()],
    );
    expect(raw.map((r) => r.value_map)).toEqual(
      expect.arrayContaining([null, { queue_depth: 30, consumers: 2 }]),
    );

    const rawSeries = await store.values({ service: "web", from: at(0), to: at(300), resolution: "auto" });
    expect(rawSeries.resolution).toBe("raw");
    expect(rawSeries.series.map((s) => `${s.check}.${s.name}:${s.points.length}`)).toEqual([
      "amqp.consumers:4",
      "amqp.queue_depth:4",
      "tls.days_remaining:13",
    ]);

    const minute = await store.values({ service: "web", from: at(0), to: at(300), resolution: "minute" });
    const tls = minute.series.find((s) => s.name === "days_remaining");
    expect(tls?.points.map((p) => p.count)).toEqual([6, 6, 1]);
    expect(tls?.points[0]).toMatchObject({ min: 30 - 50 / 60, max: 30 });
    expect(tls?.points[0]?.avg).toBeCloseTo(30 - 25 / 60, 6);

    const hour = await store.values({
      service: "web",
      check: "amqp",
      from: at(0),
      to: at(3600),
      resolution: "hour",
    });
    expect(hour.series.map((s) => s.name)).toEqual(["consumers", "queue_depth"]);
    expect(hour.series[1]?.points).toEqual([
      { t: new Date("2026-11-20T10:00:00Z"), count: 4, min: 0, avg: 45, max: 90 },
    ]);
  });

  it("prunes value rollups with the latency rollups", async () => {
    const retention = store.startRetention({ rawMaxAgeMs: 1, rollupMaxAgeMs: 1, intervalMs: 3_600_000 });
    const late = createHistoryStore({ db, now: () => new Date(t0.getTime() + 86_400_000) });
    const pruner = late.startRetention({ rawMaxAgeMs: 1, rollupMaxAgeMs: 1, intervalMs: 3_600_000 });
    await pruner.pruneOnce();
    await pruner.stop();
    await retention.stop();
    await late.close();
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*)::int FROM rollup_value_minute) AS m, (SELECT count(*)::int FROM rollup_value_hour) AS h`,
    );
    expect(rows[0]).toEqual({ m: 0, h: 0 });
  });
});
