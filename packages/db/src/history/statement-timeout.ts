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

/** Turns a value into an SQL literal for readInOneTrip: NULL, or a quoted and escaped string. */
export type Literal = (value: string | null) => string;

/**
 * One read-only statement bounded as withStatementTimeout bounds it, in one round trip instead of
 * three: BEGIN, SET LOCAL, the statement and COMMIT go as one simple-protocol query, which takes no
 * parameters, so `statement` writes its values through `literal` (pg's escapeLiteral). Under CPU
 * contention every round trip waits for the backend, then this process, to be scheduled: at load
 * 6.5–7 on 2 cores a 30-day chart's p95 was 24–31 ms with three trips and 13–19 ms with one.
 * Returns the statement's rows as tuples (rowMode "array").
 */
export async function readInOneTrip<R extends unknown[]>(
  pool: pg.Pool,
  timeoutMs: number,
  statement: (literal: Literal) => string,
): Promise<R[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const literal: Literal = (value) => {
      if (value === null) return "NULL";
      // The query text is a C string to the server: a NUL would end it inside this literal.
      if (value.includes("\0")) throw new RangeError("a query value may not contain a NUL character");
      return client.escapeLiteral(value);
    };
    const ms = Math.max(1, Math.round(timeoutMs));
    const text = `BEGIN READ ONLY; SET LOCAL statement_timeout = ${ms}; ${statement(literal)}; COMMIT`;
    // Several statements in one simple query: pg answers with one result each (its types say one).
    const results: unknown = await client.query({ text, rowMode: "array" });
    const read = Array.isArray(results) ? (results[2] as pg.QueryArrayResult<R> | undefined) : undefined;
    if (!read || (results as unknown[]).length !== 4)
      throw new Error("readInOneTrip: expected one statement");
    return read.rows;
  } catch (err) {
    await client.query("ROLLBACK").catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
