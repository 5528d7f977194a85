import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDb } from "../client.ts";
import { startEmbeddedPostgres } from "../embedded/embedded.ts";
import { migrate } from "../migrate/migrate.ts";
import { createHistoryStore } from "./store.ts";
import type { StoreHealth } from "./types.ts";

/*
 * The outage row of the fault matrix with a Postgres server that is really stopped for 60 s
 * (not a cut proxy): an embedded Postgres (PGlite over TCP) with its data on disk is stopped,
 * results keep arriving, then the same server starts again on the same port and data directory.
 */

const DOWN_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("history store while its Postgres server is stopped for 60 s", () => {
  it("reports degraded, buffers, and flushes everything in order without duplicates when it is back", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "vigil-outage-"));
    let pg = await startEmbeddedPostgres({ dataDir });
    const port = pg.port;
    await migrate(pg.url);
    const db = createDb({ url: pg.url, maxConnections: 1 });
    const changes: StoreHealth["state"][] = [];
    const store = createHistoryStore({
      db,
      flushIntervalMs: 50,
      retryMinMs: 200,
      retryMaxMs: 2_000,
      onHealthChange: (h) => changes.push(h.state),
    });
    const base = Date.UTC(2026, 10, 20, 10, 0, 0);
    const record = (i: number) =>
      store.recordResult({
        service: "api",
        check: "http",
        at: new Date(base + i * 1000),
        status: i % 7 === 0 ? "unhealthy" : "healthy",
        latencyMs: i,
        message: `#${i}`,
      });
    try {
      for (let i = 0; i < 20; i++) record(i);
      await store.flush();

      await pg.stop();
      // One result a second while the server is down, as the poller would produce them.
      const downUntil = Date.now() + DOWN_MS;
      let i = 20;
      while (Date.now() < downUntil) {
        record(i++);
        await sleep(1_000);
      }
      expect(store.health().state).toBe("degraded");
      expect(store.health().queueDepth).toBeGreaterThan(0);
      const written = i;

      pg = await startEmbeddedPostgres({ dataDir, port });
      const deadline = Date.now() + 60_000;
      while (store.health().state !== "ok" || store.health().queueDepth > 0) {
        if (Date.now() > deadline)
          throw new Error(`store did not recover: ${JSON.stringify(store.health())}`);
        await sleep(200);
      }
      await store.flush();

      const rows = await db.pool.query<{ message: string; at: Date }>(
        "select message, at from probe_results where service = 'api' order by at",
      );
      expect(rows.rows.map((r) => r.message)).toEqual(Array.from({ length: written }, (_, n) => `#${n}`));
      const minute = await db.pool.query<{ total: string; failures: string }>(
        "select sum(count)::text as total, sum(failures)::text as failures from rollup_minute where service = 'api'",
      );
      expect(Number(minute.rows[0]?.total)).toBe(written);
      expect(Number(minute.rows[0]?.failures)).toBe(
        Array.from({ length: written }, (_, n) => n).filter((n) => n % 7 === 0).length,
      );
      expect(store.health().dropped).toBe(0);
      expect(changes).toEqual(["degraded", "ok"]);
    } finally {
      await store.close();
      await db.close();
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
