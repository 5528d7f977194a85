import path from "node:path";
import { createDb, type Db, redact } from "./client.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded/embedded.ts";
import { migrate } from "./migrate/migrate.ts";

export interface OpenOptions {
  /** Usually process.env.DATABASE_URL; unset/empty → the embedded Postgres. */
  databaseUrl?: string | undefined;
  /** Embedded data directory. Default `.vigil/pgdata` under the current directory. */
  dataDir?: string;
  /** Embedded port; default a free one. */
  port?: number;
  /** Pool size for an external server. Default 5 (the embedded one always uses 1). */
  maxConnections?: number;
}

export interface OpenedDatabase {
  db: Db;
  mode: "external" | "embedded";
  /** One line for the log saying which database is used (credentials redacted). */
  description: string;
  /** Migrations applied while opening. */
  applied: string[];
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

/**
 * The app's default wiring (issue 2 item 3): with a URL, migrate and use that server; without one,
 * start the embedded PGlite under `.vigil/pgdata`, migrate it, and use it with a one-connection pool.
 */
export async function openDatabase(opts: OpenOptions = {}): Promise<OpenedDatabase> {
  if (opts.databaseUrl) {
    const { applied } = await migrate(opts.databaseUrl);
    const db = createDb({ url: opts.databaseUrl, maxConnections: opts.maxConnections ?? 5 });
    return {
      db,
      mode: "external",
      description: `Using PostgreSQL at ${redact(opts.databaseUrl)} (DATABASE_URL)`,
      applied,
      close: () => db.close(),
    };
  }
  const dataDir = path.resolve(opts.dataDir ?? ".vigil/pgdata");
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, port: opts.port });
  try {
    const { applied } = await migrate(embedded.url);
    const db = createDb({ url: embedded.url, maxConnections: embedded.maxConnections });
    return {
      db,
      mode: "embedded",
      description: `Using embedded PostgreSQL (PGlite) with data in ${dataDir}, on 127.0.0.1:${embedded.port} (DATABASE_URL not set)`,
      applied,
      async close() {
        await db.close();
        await embedded.stop();
      },
    };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
