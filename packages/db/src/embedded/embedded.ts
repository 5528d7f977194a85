import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { dumpPglite, type StoreBackup } from "../backup/store-backup.ts";
import { embeddedStartParams, preferBaselineWasm } from "./settings.ts";

export interface EmbeddedOptions {
  /** Where PGlite keeps its files (the app uses `.vigil/pgdata`); `memory://` for a scratch one. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
}

export interface EmbeddedPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** PGlite's socket server serves one connection at a time: size client pools to this. */
  maxConnections: 1;
  /** Stops accepting connections, then closes PGlite (which flushes its data dir). */
  stop(): Promise<void>;
  /** Writes PGlite's data-directory dump (tar.gz) to `out`: `vigil backup` while the server runs. */
  dumpTo(out: string): Promise<StoreBackup>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real Postgres (PGlite, WASM) in this process with its data under `dataDir`, served over
 * TCP on 127.0.0.1 so pg / Prisma's adapter-pg connect to it like to any server. Data survives a
 * stop/start with the same `dataDir`.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const inMemory = opts.dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(opts.dataDir, { recursive: true });
  const fresh = !existsSync(join(opts.dataDir, "PG_VERSION"));
  preferBaselineWasm();
  const open = () => PGlite.create({ dataDir: opts.dataDir, startParams: embeddedStartParams() });
  let db = await open();
  // A new data dir runs initdb first, in the same WASM heap, and that heap never shrinks: the
  // process would keep ~400 MB it no longer uses (measured: 593 MB after a first start, 186 MB
  // after this reopen). Closing flushes the new cluster to disk; reopening starts a fresh heap.
  if (!inMemory && fresh) {
    await db.close();
    db = await open();
  }
  // The socket server reports no bound port for port 0, so pick a free port first.
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  // Clients must use one connection (PGlite is one session; messages of two live connections could
  // interleave). The server still accepts a second socket: a client that just closed is only
  // detached on a later tick, and with a limit of 1 the next connect (e.g. the app's pool right
  // after migrate) is refused with "Connection terminated unexpectedly".
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 2 });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw new Error(`Embedded Postgres could not listen on 127.0.0.1:${port}: ${(err as Error).message}`);
  }
  let stopped: Promise<void> | null = null;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    maxConnections: 1,
    dumpTo: (out) => dumpPglite(db, out),
    stop() {
      stopped ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return stopped;
    },
  };
}
