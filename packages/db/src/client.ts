import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";

export interface DbOptions {
  url: string;
  /** Pool size. Use 1 for the embedded PGlite server (one connection at a time). Default 5. */
  maxConnections?: number;
  /** Client-side bound on any one query, so a hung server cannot stall the writer. Default 30 s. */
  queryTimeoutMs?: number;
}

export interface Db {
  /** Typed client for ordinary reads and writes. */
  prisma: PrismaClient;
  /** The same pool Prisma uses, for raw SQL on hot paths (batch inserts, rollups). */
  pool: pg.Pool;
  /** Disconnects Prisma and ends the pool. */
  close(): Promise<void>;
}

/**
 * Creates one pg pool shared by Prisma (through @prisma/adapter-pg) and raw SQL, so the
 * connection bound holds for both — required by PGlite, which serves one connection.
 */
export function createDb({ url, maxConnections = 5, queryTimeoutMs = 30_000 }: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: queryTimeoutMs,
  });
  // An idle client losing its connection (e.g. Postgres restart) must not crash the process;
  // the next query on the pool reports the error to the caller instead.
  pool.on("error", () => {});
  // pg-pool takes its own listener off a client while it is checked out, so a connection lost
  // then (Postgres restarted, pg_terminate_backend) is an 'error' nobody listens to: a crash. The
  // query in flight rejects by itself, and a client held for good (the Socket.IO adapter's LISTEN)
  // sees 'end' and reconnects; this listener only keeps the process alive.
  const guarded = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on("error", () => {});
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/** Replaces the password in a connection string or error text, for logs and health messages. */
export function redact(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]*@/gi, "$1:***@");
}
