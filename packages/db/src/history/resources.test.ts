import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { RESOURCE_CHECK } from "./resources.ts";
import { createHistoryStore, type HistoryStore } from "./store.ts";
import { valueHistory } from "./value-queries.ts";

describe("resource samples in the history store (real Postgres)", () => {
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

  it("stores raw samples, rolls them up per minute and hour, and reads them back like check values", async () => {
    const mb = 1024 * 1024;
    // Two minutes of samples every 5 s, memory growing by 1 MB each time.
    for (let s = 0; s < 120; s += 5) {
      store.recordResources({
        service: "api",
        at: at(s),
        values: { cpu_percent: 10, memory_bytes: (100 + s / 5) * mb, fds: 12, bad: Number.NaN },
      });
    }
    const id = "7b1e9f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    store.recordResources({ id, service: "api", at: at(130), values: { memory_bytes: 200 * mb } });
    store.recordResources({ id, service: "api", at: at(130), values: { memory_bytes: 200 * mb } });
    await store.flush();

    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM resource_samples WHERE service = 'api'`,
    );
    expect(rows[0].n).toBe(25);

    const raw = await valueHistory(db, { service: "api", from: at(0), to: at(200), resolution: "raw" });
    const memory = raw.series.find((s) => s.check === RESOURCE_CHECK && s.name === "memory_bytes");
    expect(memory?.points).toHaveLength(25);
    expect(memory?.points.at(-1)?.max).toBe(200 * mb);
    expect(raw.series.map((s) => s.name)).not.toContain("bad");

    const minute = await valueHistory(db, {
      service: "api",
      check: RESOURCE_CHECK,
      from: at(0),
      to: at(200),
      resolution: "minute",
    });
    const mem = minute.series.find((s) => s.name === "memory_bytes");
    // Minute 0: samples 0..55 s (12), minute 1: 60..115 s (12), minute 2: the retried one, once.
    expect(mem?.points.map((p) => p.count)).toEqual([12, 12, 1]);
    expect(mem?.points[0]).toMatchObject({ min: 100 * mb, max: 111 * mb });
    const hour = await valueHistory(db, { service: "api", from: at(0), to: at(200), resolution: "hour" });
    expect(hour.series.find((s) => s.name === "cpu_percent")?.points[0]).toMatchObject({
      count: 24,
      avg: 10,
    });
  });

  it("prunes raw samples with raw results", async () => {
    const retention = store.startRetention({
      rawMaxAgeMs: 1_000,
      rollupMaxAgeMs: 10 * 365 * 86_400_000,
      intervalMs: 3_600_000,
    });
    try {
      store.recordResources({ service: "old", at: new Date(at(0).getTime() - 60_000), values: { fds: 1 } });
      await store.flush();
      await retention.pruneOnce();
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM resource_samples WHERE service = 'old'`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await retention.stop();
    }
  });
});
