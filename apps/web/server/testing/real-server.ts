import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@vigil/db/testing/pg";
import { realEngine } from "../adapters/engine.ts";
import { createVigilServer, type VigilServer, type VigilServerOptions } from "../app.ts";
import { type OpenDatabase, openDatabase } from "../startup/database.ts";
import { findRepoRoot } from "../startup/paths.ts";

/*
 * The server integration tests' common ground: a throwaway database on the real Postgres, opened
 * (and migrated) the way server.ts opens it, a state directory of its own, and the real server on
 * a free loopback port without Next. Each test adds what it is about (config, engine, extra ports).
 */

const repo = findRepoRoot(import.meta.dirname) ?? "";

export interface RealServer {
  server: VigilServer;
  database: OpenDatabase;
  stateDir: string;
  /** Closes the server (stopping its services when asked), the database, and removes both. */
  close(opts?: { stopServices?: boolean }): Promise<void>;
}

type Given = "store" | "stateDir" | "host" | "port" | "next" | "log" | "engine";

export async function startRealServer(
  name: string,
  options: (ctx: {
    database: OpenDatabase;
    stateDir: string;
  }) => Omit<VigilServerOptions, Given> & Partial<Pick<VigilServerOptions, "engine">>,
): Promise<RealServer> {
  const stateDir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
  const pg = await createTestDatabase({ migrate: false });
  const database = await openDatabase({
    databaseUrl: pg.url,
    dataDir: join(stateDir, "unused"),
    migrationsDir: join(repo, "prisma", "migrations"),
    log: () => undefined,
  });
  let server: VigilServer;
  try {
    server = await createVigilServer({
      engine: realEngine,
      store: database.store,
      stateDir,
      host: "127.0.0.1",
      port: 0,
      next: false,
      log: () => undefined,
      ...options({ database, stateDir }),
    });
  } catch (error) {
    // A server that did not start must not leave its database behind.
    await database.close(5000);
    await pg.drop();
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    database,
    stateDir,
    async close(opts) {
      await server.close({ stopServices: opts?.stopServices ?? false, timeoutMs: 10_000 });
      await database.close(5000);
      await pg.drop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
