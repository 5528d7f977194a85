import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@vigil/db/testing/pg";
import { ConfigSchema } from "@vigil/orchestrator";
import { realEngine } from "../adapters/engine.ts";
import { createVigilServer, type VigilServer } from "../app.ts";
import { type OpenDatabase, openDatabase } from "../startup/database.ts";
import { findRepoRoot } from "../startup/paths.ts";

/** A real HTTP probe target on 127.0.0.1:0 the test takes down (503 with `reason` as body) and up. */
export interface SwitchTarget {
  url: string;
  down: boolean;
  close(): Promise<void>;
}

export async function startSwitchTarget(reason = "down"): Promise<SwitchTarget> {
  const state = { down: false };
  const server: Server = createServer((_req, res) => {
    res.writeHead(state.down ? 503 : 200, { "content-type": "text/plain" });
    res.end(state.down ? reason : "ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The server (no Next) with the real engine (checks every 200 ms) and status pages on a throwaway
 * database of the real Postgres; `viaPort` sends every database connection through that port (a
 * TCP proxy in front of Postgres).
 */
export async function startStatusServer(opts: {
  services: Record<string, unknown>;
  viaPort?: number;
  now?: () => Date;
}): Promise<{ server: VigilServer; database: OpenDatabase; close(): Promise<void> }> {
  const stateDir = mkdtempSync(join(tmpdir(), "vigil-status-"));
  const pg = await createTestDatabase({ migrate: false });
  const url = new URL(pg.url);
  if (opts.viaPort) url.port = String(opts.viaPort);
  const database = await openDatabase({
    databaseUrl: url.toString(),
    dataDir: join(stateDir, "unused"),
    migrationsDir: join(findRepoRoot(import.meta.dirname) ?? "", "prisma", "migrations"),
    log: () => undefined,
  });
  const server = await createVigilServer({
    config: ConfigSchema.parse({
      project: `status${process.pid}`,
      defaults: { check: { interval: "200ms", timeout: "1s", failure_threshold: 1 } },
      services: opts.services,
    }),
    engine: realEngine,
    store: database.store,
    stateDir,
    host: "127.0.0.1",
    port: 0,
    next: false,
    statusPages: { sql: database.sql, perMinute: 10_000, now: opts.now },
    log: () => undefined,
  });
  return {
    server,
    database,
    async close() {
      await server.close({ stopServices: true, timeoutMs: 10_000 });
      await database.close(5000);
      await pg.drop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
