import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { createHistoryStore } from "./store.ts";

const DAY = 86_400_000;

describe("retention", () => {
  const t = useTestDb();

  it("prunes raw rows past their age and rollups past theirs, in small batches, keeping new rows", async () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const store = createHistoryStore({ db: t.db, now: () => now });
    const ages = [1, 6, 8, 30, 500]; // days
    for (const age of ages) {
      for (let i = 0; i < 30; i++) {
        store.recordResult({
          service: "r",
          check: "c",
          at: new Date(now.getTime() - age * DAY + i * 1000),
          status: "healthy",
          latencyMs: 1,
          message: null,
        });
      }
    }
    await store.flush();
    const retention = store.startRetention({
      rawMaxAgeMs: 7 * DAY,
      rollupMaxAgeMs: 400 * DAY,
      batchSize: 7,
      intervalMs: 3_600_000,
    });
    await retention.stop(); // stop the background loop; prune deterministically below
    const counts = await retention.pruneOnce();
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM probe_results");
    expect(rows[0].n).toBe(60); // ages 1 and 6 days
    // The background pass may already have pruned some before stop(); together they remove all 90.
    expect(counts.raw).toBeLessThanOrEqual(90);
    const { rows: minutes } = await t.db.pool.query("SELECT count(*)::int AS n FROM rollup_minute");
    const { rows: hours } = await t.db.pool.query("SELECT count(*)::int AS n FROM rollup_hour");
    expect(minutes[0].n).toBe(4); // the 500-day-old bucket is gone
    expect(hours[0].n).toBe(4);
    expect(await retention.pruneOnce()).toEqual({ raw: 0, minute: 0, hour: 0 });

    // Minute rollups can have their own, shorter age; hour rollups stay.
    const short = store.startRetention({
      rawMaxAgeMs: 7 * DAY,
      rollupMaxAgeMs: 400 * DAY,
      minuteRollupMaxAgeMs: 7 * DAY,
      intervalMs: 3_600_000,
    });
    await short.stop();
    await short.pruneOnce();
    const { rows: m2 } = await t.db.pool.query("SELECT count(*)::int AS n FROM rollup_minute");
    const { rows: h2 } = await t.db.pool.query("SELECT count(*)::int AS n FROM rollup_hour");
    expect([m2[0].n, h2[0].n]).toEqual([2, 4]);
    expect(await store.uptime({ service: "r", from: new Date(now.getTime() - 40 * DAY), to: now })).toBe(1);
    await store.close();
  });
});
