import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { startProxy, type TcpProxy } from "../testing/proxy.ts";
import { createHistoryStore } from "./store.ts";
import type { StoreHealth } from "./types.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(50);
  }
}

describe("history store during a Postgres outage", () => {
  let tdb: TestDatabase;
  let proxy: TcpProxy;
  let db: Db;
  let direct: Db;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    proxy = await startProxy({ host: "127.0.0.1", port: 5432 });
    const url = new URL(tdb.url);
    url.port = String(proxy.port);
    url.password = "s3cret";
    db = createDb({ url: url.toString(), maxConnections: 2 });
    direct = createDb({ url: tdb.url, maxConnections: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await direct?.close();
    await proxy?.close();
    await tdb?.drop();
  });

  const result = (service: string, i: number) => ({
    service,
    check: "http",
    at: new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + i * 1000),
    status: "healthy" as const,
    latencyMs: i,
    message: `#${i}`,
  });

  it("buffers while down, reports degraded, then flushes in order without duplicates", async () => {
    const changes: StoreHealth[] = [];
    const store = createHistoryStore({
      db,
      batchSize: 100,
      flushIntervalMs: 20,
      retryMinMs: 50,
      retryMaxMs: 200,
      onHealthChange: (h) => changes.push(h),
    });
    for (let i = 0; i < 50; i++) store.recordResult(result("a", i));
    await store.flush();

    await proxy.down();
    for (let i = 50; i < 500; i++) store.recordResult(result("a", i));
    store.recordEvent({ service: "a", from: "healthy", to: "unhealthy", reason: "db down", at: new Date() });
    await until(() => store.health().state === "degraded");
    const h = store.health();
    expect(h.queueDepth).toBeGreaterThanOrEqual(451);
    expect(h.message).toBeTruthy();
    expect(h.message).not.toContain("s3cret");
    await expect(store.flush()).rejects.toThrow();

    await proxy.up();
    await until(() => store.health().state === "ok" && store.health().queueDepth === 0);
    expect(changes.map((c) => c.state)).toEqual(["degraded", "ok"]);

    const { rows } = await direct.pool.query(
      "SELECT message FROM probe_results WHERE service = 'a' ORDER BY at",
    );
    expect(rows.map((r) => r.message)).toEqual(Array.from({ length: 500 }, (_, i) => `#${i}`));
    const { rows: roll } = await direct.pool.query(
      "SELECT sum(count)::int AS n FROM rollup_minute WHERE service = 'a'",
    );
    expect(roll[0].n).toBe(500);
    expect(await store.events({ service: "a", limit: 5 })).toHaveLength(1);
    await store.close();
  });

  it("does not duplicate a batch whose COMMIT succeeded but whose reply was lost", async () => {
    const store = createHistoryStore({
      db,
      batchSize: 100,
      flushIntervalMs: 20,
      retryMinMs: 50,
      retryMaxMs: 200,
    });
    proxy.loseNextCommitReply();
    for (let i = 0; i < 100; i++) store.recordResult(result("c", i));
    await expect(store.flush()).rejects.toThrow();
    expect(store.health().state).toBe("degraded");
    // The batch is in the table although the writer saw an error: the retry must be a no-op.
    const { rows: committed } = await direct.pool.query(
      "SELECT count(*)::int AS n FROM probe_results WHERE service = 'c'",
    );
    expect(committed[0].n).toBe(100);
    await until(() => store.health().state === "ok" && store.health().queueDepth === 0);
    const { rows } = await direct.pool.query(
      "SELECT count(*)::int AS n FROM probe_results WHERE service = 'c'",
    );
    expect(rows[0].n).toBe(100);
    const { rows: roll } = await direct.pool.query(
      "SELECT sum(count)::int AS n FROM rollup_hour WHERE service = 'c'",
    );
    expect(roll[0].n).toBe(100);
    await store.close();
  });

  it("drops the oldest results over the bound, counts them and persists the count", async () => {
    const store = createHistoryStore({
      db,
      batchSize: 100,
      flushIntervalMs: 20,
      maxBuffered: 200,
      retryMinMs: 50,
      retryMaxMs: 200,
    });
    await proxy.down();
    for (let i = 0; i < 300; i++) store.recordResult(result("b", i));
    await until(() => store.health().state === "degraded");
    expect(store.health()).toMatchObject({ queueDepth: 200, dropped: 100 });

    await proxy.up();
    await until(() => store.health().state === "ok" && store.health().queueDepth === 0);
    const { rows } = await direct.pool.query(
      "SELECT message FROM probe_results WHERE service = 'b' ORDER BY at",
    );
    expect(rows.map((r) => r.message)).toEqual(Array.from({ length: 200 }, (_, i) => `#${i + 100}`));
    expect(await store.droppedTotal()).toBe(100);
    await store.close();
  });
});
