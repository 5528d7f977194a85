import type pg from "pg";

/** Rejects as soon as `signal` aborts; the query itself is bounded by the pool's query_timeout. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A client from `pool`, or a rejection as soon as `signal` aborts. A connection that arrives after
 * the abort is released at once: left checked out, it would hold a pool slot for good (and make
 * `pool.end()` wait forever).
 */
export async function connectAbortable(pool: pg.Pool, signal: AbortSignal): Promise<pg.PoolClient> {
  const connecting = pool.connect();
  try {
    return await abortable(connecting, signal);
  } catch (error) {
    connecting.then(
      (client) => client.release(),
      () => undefined,
    );
    throw error;
  }
}
