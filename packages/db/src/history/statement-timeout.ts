import type pg from "pg";

/*
 * Reads that Postgres itself stops. A client-side timeout (withTimeout, pg's query_timeout) only
 * stops waiting: the backend keeps scanning, holding a connection and I/O, and a viewer who
 * repeats an expensive request piles them up (issue 19, finding 9). `statement_timeout`, set for
 * this transaction only (SET LOCAL), makes the server cancel the statement
 * (SQLSTATE 57014) and frees the backend at once.
 */

/** Default bound on one history read, below the REST layer's 10 s so Postgres cancels first. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 8_000;

/** Runs `run` in a read-only transaction whose statements Postgres cancels after `timeoutMs`. */
export async function withStatementTimeout<T>(
  pool: pg.Pool,
  timeoutMs: number,
  run: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One round trip for both (a simple-protocol query may hold two statements); the value is an
    // integer computed here, never caller text.
    const ms = Math.max(1, Math.round(timeoutMs));
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${ms}`);
    const out = await run(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    // A connection that cannot even roll back is not handed to the next caller.
    await client.query("ROLLBACK").catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** True for Postgres's "canceling statement due to statement timeout" (and other cancels). */
export function isQueryCanceled(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "57014";
}
