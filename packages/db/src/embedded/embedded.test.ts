import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../client.ts";
import { createHistoryStore } from "../history/store.ts";
import { migrate } from "../migrate/migrate.ts";
import { migrationsDir } from "../paths.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { EMBEDDED_POSTGRES_SETTINGS } from "./settings.ts";

// Every migration folder in the repo (the count grows as migrations are added).
const MIGRATIONS = readdirSync(migrationsDir).filter((d) => /^\d{14}_/.test(d)).length;

describe("embedded Postgres (PGlite over TCP)", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("starts, migrates, stores history and keeps it across a restart", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-pglite-"));
    const dataDir = path.join(dir, "pgdata");
    const at = new Date("2026-11-20T10:00:00Z");

    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(first.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(first.maxConnections).toBe(1);
      expect((await migrate(first.url)).applied).toHaveLength(MIGRATIONS);
      const db = createDb({ url: first.url, maxConnections: first.maxConnections });
      // The small-footprint settings reach Postgres (its defaults would hold ~150 MB more).
      const shown = await db.pool.query<{ shared_buffers: string }>("SHOW shared_buffers");
      expect(shown.rows[0]?.shared_buffers).toBe(EMBEDDED_POSTGRES_SETTINGS.shared_buffers);
      const store = createHistoryStore({ db });
      for (let i = 0; i < 50; i++) {
        store.recordResult({
          service: "api",
          check: "http",
          at: new Date(at.getTime() + i * 1000),
          status: "healthy",
          latencyMs: 10 + i,
          message: null,
        });
      }
      store.recordEvent({ service: "api", from: "unknown", to: "healthy", reason: "first result", at });
      await store.close();
      await db.close();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await migrate(second.url)).toEqual({ applied: [] });
      const db = createDb({ url: second.url, maxConnections: 1 });
      const store = createHistoryStore({ db });
      const h = await store.history({
        service: "api",
        from: at,
        to: new Date(at.getTime() + 3600_000),
        resolution: "hour",
      });
      expect(h.points).toEqual([expect.objectContaining({ count: 50, min: 10, max: 59 })]);
      expect(await store.events({ service: "api", limit: 5 })).toHaveLength(1);
      await store.close();
      await db.close();
    } finally {
      await second.stop();
    }
  }, 180_000); // three PGlite starts (initdb, the reopen after it, a restart) and two migrate runs
});
