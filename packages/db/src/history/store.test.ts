import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { createHistoryStore, type HistoryStore } from "./store.ts";
import type { ResultStatus } from "./types.ts";

describe("history store (real Postgres)", () => {
  let tdb: TestDatabase;
  let db: Db;
  let store: HistoryStore;
  const t0 = new Date("2026-11-20T10:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
    store = createHistoryStore({ db, batchSize: 500, flushIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await tdb?.drop();
  });

  it("writes results in multi-row batches and reads them back raw", async () => {
    const n = 2_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const status: ResultStatus = i % 10 === 0 ? "unhealthy" : "healthy";
      store.recordResult({
        service: i % 2 ? "api" : "db",
        check: "http",
        at: new Date(t0.getTime() + i * 1000),
        status,
        latencyMs: 1 + (i % 200),
        message: status === "unhealthy" ? "boom" : null,
        detail: { i },
      });
    }
    await store.flush();
    const ms = performance.now() - started;
    console.log(`wrote ${n} results in ${ms.toFixed(0)} ms (${Math.round((n / ms) * 1000)} rows/s)`);
    const stats = store.stats();
    expect(stats.inserted).toBe(n);
    expect(stats.batches).toBeLessThanOrEqual(Math.ceil(n / 500) + 1);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM probe_results");
    expect(rows[0].n).toBe(n);

    const h = await store.history({
      service: "db",
      from: t0,
      to: new Date(t0.getTime() + 3600_000),
      resolution: "auto",
    });
    expect(h.resolution).toBe("raw");
    expect(h.points).toHaveLength(1000);
    expect(h.points[0]).toMatchObject({
      count: 1,
      failures: 1,
      status: "unhealthy",
      message: "boom",
      min: 1,
    });
    expect(h.uptime).toBeCloseTo(0.8, 5);
  });

  it("keeps minute and hour rollups equal to the raw rows", async () => {
    const from = t0;
    const to = new Date(t0.getTime() + 4 * 3600_000);
    for (const [resolution, width] of [
      ["minute", "minute"],
      ["hour", "hour"],
    ] as const) {
      const { rows: raw } = await db.pool.query(
        `SELECT date_trunc('${width}', at) AS t, count(*)::int AS count,
                count(*) FILTER (WHERE status = 'unhealthy')::int AS failures,
                min(latency_ms) AS min, max(latency_ms) AS max, avg(latency_ms) AS avg,
                percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
         FROM probe_results WHERE service = 'api' GROUP BY 1 ORDER BY 1`,
      );
      const h = await store.history({ service: "api", from, to, resolution });
      expect(h.points).toHaveLength(raw.length);
      h.points.forEach((p, i) => {
        const r = raw[i];
        expect(p.t.getTime()).toBe(r.t.getTime());
        expect(p).toMatchObject({ count: r.count, failures: r.failures, min: r.min, max: r.max });
        expect(p.avg).toBeCloseTo(r.avg, 6);
        // Histogram buckets are 2^(1/4) wide: ±19% covers a value anywhere in its bucket.
        expect(Math.abs(p.p50! - r.p50) / r.p50).toBeLessThan(0.2);
        expect(Math.abs(p.p95! - r.p95) / r.p95).toBeLessThan(0.2);
      });
    }
    expect(await store.uptime({ service: "api", from, to })).toBe(1);
  });

  it("is idempotent: the same result ids written twice count once", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    const r = {
      id,
      service: "dup",
      check: "tcp",
      at: t0,
      status: "healthy" as const,
      latencyMs: 5,
      message: null,
    };
    store.recordResult(r);
    await store.flush();
    store.recordResult(r);
    await store.flush();
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM probe_results WHERE service = 'dup'",
    );
    expect(rows[0].n).toBe(1);
    const h = await store.history({
      service: "dup",
      from: t0,
      to: new Date(t0.getTime() + 60_000),
      resolution: "minute",
    });
    expect(h.points[0]?.count).toBe(1);
  });

  // The fast path (one COPY) fails as a whole on a stored key: the batch must then go row by row.
  it("counts only the new rows of a batch that repeats stored ones next to new ones", async () => {
    const r = (i: number) => ({
      id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`,
      service: "overlap",
      check: "tcp",
      at: new Date(t0.getTime() + i * 1000),
      status: "healthy" as const,
      latencyMs: 10 + i,
      message: null,
      values: { depth: i },
    });
    store.recordResult(r(0));
    store.recordResult(r(1));
    await store.flush();
    const before = store.stats().inserted;
    for (const i of [0, 1, 2, 3]) store.recordResult(r(i));
    await store.flush();
    expect(store.stats().inserted - before).toBe(2);
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n, count(value_map)::int AS v FROM probe_results WHERE service = 'overlap'",
    );
    expect(rows[0]).toEqual({ n: 4, v: 4 });
    const h = await store.history({
      service: "overlap",
      from: t0,
      to: new Date(t0.getTime() + 60_000),
      resolution: "minute",
    });
    expect(h.points[0]).toMatchObject({ count: 4, min: 10, max: 13 });
    const values = await db.pool.query(
      "SELECT sum(count)::int AS n FROM rollup_value_minute WHERE service = 'overlap' AND name = 'depth'",
    );
    expect(values.rows[0].n).toBe(4);
  });

  it("takes 20,000 results a batch by default once the server is known to take COPY (5000 before)", async () => {
    const own = createHistoryStore({ db, flushIntervalMs: 60_000 });
    try {
      for (let i = 0; i < 25_000; i++)
        own.recordResult({
          service: "batched",
          check: "tcp",
          at: new Date(t0.getTime() + i),
          status: "healthy",
          latencyMs: 1,
          message: null,
        });
      await own.flush();
      expect(own.stats()).toMatchObject({ batches: 2, inserted: 25_000 });
    } finally {
      await own.close();
    }
  });

  it("writes a result queued twice in one batch once, counted once", async () => {
    const r = {
      id: "00000000-0000-4000-8000-000000000201",
      service: "twice",
      check: "tcp",
      at: t0,
      status: "unhealthy" as const,
      latencyMs: 7,
      message: "down",
    };
    store.recordResult(r);
    store.recordResult(r);
    store.recordResult({ ...r, id: "00000000-0000-4000-8000-000000000202" });
    await store.flush();
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM probe_results WHERE service = 'twice'",
    );
    expect(rows[0].n).toBe(2);
    const h = await store.history({
      service: "twice",
      from: t0,
      to: new Date(t0.getTime() + 60_000),
      resolution: "minute",
    });
    expect(h.points[0]).toMatchObject({ count: 2, failures: 2 });
  });

  it("normalises values Postgres would reject instead of wedging the queue", async () => {
    const circular: { self?: unknown } = {};
    circular.self = circular;
    store.recordResult({
      service: "odd",
      check: "c\u0000x",
      at: t0,
      status: "degraded",
      latencyMs: Number.NaN,
      message: "a\u0000b",
      detail: circular,
    });
    await store.flush();
    const { rows } = await db.pool.query(
      `SELECT "check", message, latency_ms, detail FROM probe_results WHERE service = 'odd'`,
    );
    expect(rows).toEqual([
      { check: "cx", message: "ab", latency_ms: null, detail: { error: "detail was not JSON-serialisable" } },
    ]);
  });

  it("writes and reads services, events, incidents, actions and sparklines", async () => {
    await store.upsertServices([
      { name: "api", kind: "process", group: "core", status: "healthy" },
      { name: "db", kind: "docker" },
    ]);
    await store.upsertServices([{ name: "api", kind: "process", group: "core", status: "unhealthy" }]);
    const services = await db.prisma.service.findMany({ orderBy: { name: "asc" } });
    expect(services.map((s) => [s.name, s.status])).toEqual([
      ["api", "unhealthy"],
      ["db", "unknown"],
    ]);

    const at = (m: number) => new Date(t0.getTime() + m * 60_000);
    store.recordEvent({ service: "api", from: "healthy", to: "unhealthy", reason: "timeout", at: at(1) });
    store.recordEvent({ service: "api", from: "unhealthy", to: "healthy", reason: "ok", at: at(5) });
    store.recordEvent({ service: "api", from: "healthy", to: "unhealthy", reason: "refused", at: at(9) });
    const id = store.recordAction({
      kind: "restart",
      targets: ["api"],
      requestedBy: "alice",
      startedAt: at(2),
      params: { force: true },
    });
    store.updateAction(id, { finishedAt: at(3), result: "ok", steps: [{ service: "api", ok: true }] });
    await store.flush();

    const events = await store.events({ service: "api", limit: 10 });
    expect(events.map((e) => e.reason)).toEqual(["refused", "ok", "timeout"]);
    const incidents = await store.incidents({ service: "api" });
    expect(incidents).toEqual([
      { service: "api", from: at(9), to: null, reason: "refused" },
      { service: "api", from: at(1), to: at(5), reason: "timeout" },
    ]);
    const action = await store.action(id);
    expect(action).toMatchObject({
      kind: "restart",
      targets: ["api"],
      result: "ok",
      params: { force: true },
      finishedAt: at(3),
    });
    expect((await store.actions({ service: "api", limit: 5 })).map((a) => a.id)).toEqual([id]);
    expect(await store.actions({ service: "nope", limit: 5 })).toEqual([]);

    const spark = await store.sparklines(["api", "db", "none"], 5);
    expect(spark.api).toHaveLength(5);
    expect(spark.none).toEqual([]);
    expect(spark.api![4]!.t.getTime()).toBeGreaterThan(spark.api![0]!.t.getTime());
    expect(store.health()).toMatchObject({ state: "ok", queueDepth: 0, dropped: 0, message: null });
  });
});
