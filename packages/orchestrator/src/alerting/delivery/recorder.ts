import type { DeliveryAttempt, OutboxEntry, OutboxStore } from "./types.ts";

type Op =
  | { kind: "add"; entries: readonly OutboxEntry[] }
  | { kind: "record"; entry: OutboxEntry; attempt: DeliveryAttempt }
  /** Any other idempotent write that must land in order with the outbox (incident rows). */
  | { kind: "write"; write: (signal: AbortSignal) => Promise<void> };

/** Most writes of one kind sent to the store in one call. */
const BATCH = 500;

export interface RecorderOptions {
  /** Per store call. */
  timeoutMs?: number;
  /** First wait after a failed write; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Writes kept while the store is down; past it the oldest attempt records are dropped (counted). */
  maxBacklog?: number;
  onError?: (error: unknown) => void;
}

/**
 * Writes the outbox to its store in order, behind the senders: a store that is down delays the
 * record, never a notification. Failed writes stay queued and are retried with backoff, so what
 * was sent while Postgres was down is recorded when it returns.
 */
export class OutboxRecorder {
  readonly #store: OutboxStore;
  readonly #opts: Required<Omit<RecorderOptions, "onError">> & Pick<RecorderOptions, "onError">;
  readonly #ops: Op[] = [];
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;
  #failures = 0;
  #idle: (() => void)[] = [];
  dropped = 0;

  constructor(store: OutboxStore, opts: RecorderOptions = {}) {
    this.#store = store;
    this.#opts = {
      timeoutMs: opts.timeoutMs ?? 5000,
      retryMs: opts.retryMs ?? 1000,
      maxRetryMs: opts.maxRetryMs ?? 30_000,
      maxBacklog: opts.maxBacklog ?? 100_000,
      onError: opts.onError,
    };
  }

  /** Writes not yet in the store. */
  get backlog(): number {
    return this.#ops.length;
  }

  add(entries: readonly OutboxEntry[]): void {
    this.#push({ kind: "add", entries });
  }

  record(entry: OutboxEntry, attempt: DeliveryAttempt): void {
    this.#push({ kind: "record", entry: { ...entry }, attempt });
  }

  /** Queues another idempotent write (e.g. an incident row) behind the outbox writes. */
  write(write: (signal: AbortSignal) => Promise<void>): void {
    this.#push({ kind: "write", write });
  }

  /** Resolves once every queued write is stored (or `signal` aborts). */
  flushed(signal?: AbortSignal): Promise<void> {
    if (this.#ops.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => resolve();
      this.#idle.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Stops writing; what is still queued is lost with the process (and resent from the store's view). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  #push(op: Op): void {
    this.#ops.push(op);
    while (this.#ops.length > this.#opts.maxBacklog) {
      const index = this.#ops.findIndex((o) => o.kind === "record");
      if (index < 0) break;
      this.#ops.splice(index, 1);
      this.dropped++;
    }
    this.#kick();
  }

  #kick(): void {
    if (this.#running || this.#stop.signal.aborted) return;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      // A write queued between the drain's last check and now still needs a writer.
      if (this.#ops.length > 0) this.#kick();
    });
  }

  /** The ops at the front of the queue of this kind, up to a batch (a `write` is always alone). */
  #run(kind: Op["kind"]): Op[] {
    if (kind === "write") return this.#ops.slice(0, 1);
    let n = 0;
    while (n < this.#ops.length && n < BATCH && this.#ops[n]?.kind === kind) n++;
    return this.#ops.slice(0, n);
  }

  async #drain(): Promise<void> {
    while (this.#ops.length > 0 && !this.#stop.signal.aborted) {
      const op = this.#ops[0]!;
      try {
        const signal = AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#opts.timeoutMs)]);
        // Consecutive writes of one kind go as one store call (a storm is a few statements, not thousands).
        const run = this.#run(op.kind);
        if (op.kind === "add")
          await this.#store.add(
            run.flatMap((o) => (o.kind === "add" ? o.entries : [])),
            signal,
          );
        else if (op.kind === "record") {
          await this.#store.record(
            run.flatMap((o) => (o.kind === "record" ? [{ entry: o.entry, attempt: o.attempt }] : [])),
            signal,
          );
        } else await op.write(signal);
        this.#ops.splice(0, run.length);
        this.#failures = 0;
      } catch (error) {
        this.#opts.onError?.(error);
        this.#failures++;
        const wait = Math.min(this.#opts.maxRetryMs, this.#opts.retryMs * 2 ** (this.#failures - 1));
        await sleep(wait, this.#stop.signal);
      }
    }
    if (this.#ops.length === 0) for (const done of this.#idle.splice(0)) done();
  }
}

/** Resolves after `ms` or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
