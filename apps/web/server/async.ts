/** Settles like `promise`, or rejects with "`what` timed out after `ms` ms"; the timer never holds the process open. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The text of any thrown value, for logs and replies. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
