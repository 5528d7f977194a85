import {
  closeInterruptedActions,
  createDb,
  createHistoryStore,
  createJobRunStore,
  type Db,
  type JobRunHistory,
  migrate,
  startEmbeddedPostgres,
} from "@vigil/db";
import { dumpExternalStore, type StoreBackup } from "@vigil/db/backup";
import { adaptStore } from "../adapters/store.ts";
import { errorMessage, withTimeout } from "../async.ts";
import type { StorePort } from "../ports.ts";
import { describeDatabaseUrl } from "./paths.ts";

export interface OpenDatabase {
  store: StorePort;
  /** The same pool, for auth's users, sessions, share links and audit log (raw SQL). */
  sql: Db["pool"];
  /** Job runs (job_runs): the engine records them, the REST API pages them. */
  jobRuns: JobRunHistory;
  /** Where history lives, without credentials (for the log and the report). */
  description: string;
  /** Closes the pool and, for the embedded server, stops it (which flushes its files). */
  close(timeoutMs: number): Promise<void>;
  /** `vigil backup` through the server: pg_dump of an external store, PGlite's dump of the embedded one. */
  backup(out: string): Promise<StoreBackup>;
}

/**
 * DATABASE_URL → that server; unset → an embedded Postgres (PGlite) under `dataDir`. Either way
 * migrations are applied before anything is written, and one log line says which is in use.
 */
export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  migrationsDir: string;
  log: (line: string) => void;
  retention?: { rawMaxAgeMs: number; rollupMaxAgeMs: number };
  /**
   * Mark actions left unfinished as failed (default). Off in cluster mode: another live instance
   * may be running them.
   */
  closeInterrupted?: boolean;
  /** Connections held for good by someone else (the Socket.IO adapter's LISTEN), added to the pool. */
  heldConnections?: number;
}): Promise<OpenDatabase> {
  const embedded = opts.databaseUrl
    ? undefined
    : await withTimeout(
        startEmbeddedPostgres({ dataDir: opts.dataDir }),
        60_000,
        "starting embedded Postgres",
      );
  const url = opts.databaseUrl ?? embedded?.url ?? "";
  const maxConnections = embedded ? embedded.maxConnections : 5 + (opts.heldConnections ?? 0);
  const description = embedded
    ? `embedded Postgres (PGlite) under ${opts.dataDir}`
    : `Postgres at ${describeDatabaseUrl(url)} (DATABASE_URL)`;
  opts.log(`database: ${description}`);
  try {
    const { applied } = await withTimeout(
      migrate(url, { migrationsDir: opts.migrationsDir, maxConnections: 1 }),
      120_000,
      "applying migrations",
    );
    if (applied.length > 0)
      opts.log(`database: applied ${applied.length} migration(s): ${applied.join(", ")}`);
  } catch (err) {
    await embedded?.stop().catch(() => undefined);
    throw new Error(`could not migrate ${description}: ${errorMessage(err)}`);
  }
  const db = createDb({ url, maxConnections });
  // Before this process records actions of its own: see closeInterruptedActions.
  const interrupted = await withTimeout(
    opts.closeInterrupted === false ? Promise.resolve([]) : closeInterruptedActions(db),
    30_000,
    "closing interrupted actions",
  ).catch((err: unknown) => {
    opts.log(`actions: could not close those the previous run left unfinished: ${errorMessage(err)}`);
    return [];
  });
  if (interrupted.length > 0)
    opts.log(
      `actions: ${interrupted.length} left unfinished by the previous run marked failed (interrupted)`,
    );
  const history = createHistoryStore({
    db,
    // Charts read history; the board's live results come over the socket, so a second's delay
    // there is not seen, while each write's fixed cost (transaction, rollup statements) is paid a
    // quarter as often (10,000 services: about −10 % CPU per check, within the runs' spread;
    // BENCHMARKS.md, "Scale, round four").
    flushIntervalMs: 1000,
    onHealthChange: (h) =>
      opts.log(
        h.state === "ok" ? "history store: writing again" : `history store degraded, buffering: ${h.message}`,
      ),
  });
  const retention = opts.retention ? history.startRetention(opts.retention) : undefined;
  return {
    store: adaptStore(history),
    jobRuns: createJobRunStore(db),
    sql: db.pool,
    description,
    backup: (out) =>
      embedded ? embedded.dumpTo(out) : dumpExternalStore(url, out, AbortSignal.timeout(600_000)),
    async close(timeoutMs) {
      const step = (p: Promise<unknown>, what: string) =>
        withTimeout(p, timeoutMs, what).catch((err: unknown) => opts.log(`shutdown: ${errorMessage(err)}`));
      if (retention) await step(retention.stop(), "stopping retention");
      await step(db.close(), "closing the database pool");
      if (embedded) await step(embedded.stop(), "stopping embedded Postgres");
    },
  };
}
