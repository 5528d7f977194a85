import { randomUUID } from "node:crypto";
import { type Db, redact } from "../client.ts";
import { SubMillis } from "./instants.ts";
import { createQueries, type HistoryQueries, type QueryOptions } from "./queries.ts";
import { BoundedQueue } from "./queue.ts";
import { createRetention, type Retention, type RetentionOptions } from "./retention.ts";
import type {
  ActionInput,
  ActionUpdate,
  EventInput,
  ResourceInput,
  ResultInput,
  StoreHealth,
} from "./types.ts";
import { createWriterState, writeBatch } from "./write.ts";

export interface HistoryStoreOptions extends QueryOptions {
  db: Db;
  /**
   * Max items per transaction. Default 20 000 on a server that takes COPY, 5000 before that is
   * known and on the embedded PGlite (INSERT only; it runs in this process's thread, where a longer
   * transaction blocks the event loop longer). Most of a batch's Postgres time is its rollup
   * upserts, whose row count grows with the services and minutes a batch spans rather than its
   * results, so a larger batch costs less per result: 21.5 → 14.2 µs of Postgres CPU per result
   * from 5000 to 20 000 (BENCHMARKS.md, "Ingest through COPY"). In steady state the flush interval
   * cuts batches far earlier.
   */
  batchSize?: number;
  /** Max time a result waits in the buffer before a flush starts. Default 250 ms. */
  flushIntervalMs?: number;
  /** Buffer bound; beyond it the oldest results are dropped and counted. Default 100 000. */
  maxBuffered?: number;
  /** Backoff bounds for retries while the database is unreachable. Default 250 ms → 5 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** Called whenever state (ok/degraded) changes. */
  onHealthChange?: (health: StoreHealth) => void;
}

export interface HistoryStore extends HistoryQueries {
  /** Buffers one probe result (sync, never throws). Written within flushIntervalMs or batchSize. */
  recordResult(result: ResultInput): void;
  /** Buffers one resource sample (sync, never throws); written like results. */
  recordResources(sample: ResourceInput): void;
  /** Buffers a timeline event and starts a write at once. */
  recordEvent(event: EventInput): void;
  /** Buffers an action row, starts a write at once, and returns its id. */
  recordAction(action: ActionInput): string;
  /** Buffers an update of an action (fields present are set), written at once, in order. */
  updateAction(id: string, update: ActionUpdate): void;
  /**
   * Writes everything buffered so far; resolves once it is committed (durable), rejects with the
   * database error if it cannot be written now (the data stays buffered and is retried).
   */
  flush(): Promise<void>;
  health(): StoreHealth;
  /** Counters for metrics and tests: transactions committed, results written. */
  stats(): { batches: number; results: number; inserted: number };
  /** Starts background retention pruning; stop it with the returned handle. */
  startRetention(opts: RetentionOptions): Retention;
  /** Final flush, bounded by `timeoutMs` (default 5 s); stops timers. Does not close `db`. */
  close(timeoutMs?: number): Promise<void>;
}

const COPY_BATCH = 20_000;
const INSERT_BATCH = 5000;

/** Creates the batched, outage-tolerant history writer plus its queries (see queries.ts). */
export function createHistoryStore(opts: HistoryStoreOptions): HistoryStore {
  const { db, flushIntervalMs = 250, maxBuffered = 100_000 } = opts;
  const retryMin = opts.retryMinMs ?? 250;
  const retryMax = opts.retryMaxMs ?? 5_000;
  const now = opts.now ?? (() => new Date());
  const queue = new BoundedQueue(maxBuffered);
  const writer = createWriterState();
  const batchSize = () => opts.batchSize ?? (writer.copy === true ? COPY_BATCH : INSERT_BATCH);
  const subMillis = new SubMillis();
  let droppedPersisted = 0;
  let state: StoreHealth["state"] = "ok";
  let message: string | null = null;
  let lastFlushAt: Date | null = null;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const counters = { batches: 0, results: 0, inserted: 0 };

  // Items being written are still "queued" until their transaction commits.
  let inFlight = 0;
  const health = (): StoreHealth => ({
    state,
    queueDepth: queue.length + inFlight,
    dropped: queue.dropped,
    message,
    lastFlushAt,
  });

  function setState(next: StoreHealth["state"], msg: string | null): void {
    const changed = next !== state;
    state = next;
    message = msg;
    if (changed) opts.onHealthChange?.(health());
  }

  function schedule(delayMs: number): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      drain().catch(() => {});
    }, delayMs);
    timer.unref();
  }

  /** Writes chunks until the queue is empty; one drain at a time (PGlite has one connection). */
  function drain(): Promise<void> {
    // Cleared in .finally (a later microtask), never inside the async body: with an empty queue
    // the body completes synchronously and would clear `running` before it is even assigned.
    running ??= (async () => {
      while (queue.length > 0) {
        const chunk = queue.take(batchSize());
        const delta = queue.dropped - droppedPersisted;
        inFlight = chunk.length;
        try {
          const out = await writeBatch(db.pool, chunk, delta, writer);
          droppedPersisted += delta;
          counters.batches++;
          counters.results += out.results;
          counters.inserted += out.inserted;
          inFlight = 0;
          lastFlushAt = now();
          failures = 0;
          if (state !== "ok") setState("ok", null);
        } catch (err) {
          inFlight = 0;
          queue.unshift(chunk);
          failures++;
          setState("degraded", redact(err instanceof Error ? err.message : String(err)));
          schedule(Math.min(retryMax, retryMin * 2 ** (failures - 1)));
          throw err;
        }
      }
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function enqueueNow(): void {
    // While degraded the backoff timer owns retries; hammering a down database helps nobody.
    if (state === "ok") queueMicrotask(() => drain().catch(() => {}));
  }

  const store: HistoryStore = {
    ...createQueries(
      db,
      opts.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: opts.statementTimeoutMs },
    ),
    recordResult(r) {
      // An invalid instant would make its batch fail forever; record it as "now" instead.
      const at = Number.isNaN(r.at.getTime()) ? now() : r.at;
      const id = r.id ?? randomUUID();
      const sub = subMillis.next(r.service, r.check, at.getTime(), id);
      queue.push({ kind: "result", v: { ...r, at, id, sub } });
      if (state === "ok" && queue.length >= batchSize() && !running) enqueueNow();
      else schedule(flushIntervalMs);
    },
    recordResources(r) {
      const at = Number.isNaN(r.at.getTime()) ? now() : r.at;
      queue.push({ kind: "resource", v: { ...r, at, id: r.id ?? randomUUID() } });
      schedule(flushIntervalMs);
    },
    recordEvent(e) {
      queue.push({ kind: "event", v: { ...e, id: e.id ?? randomUUID() } });
      enqueueNow();
      schedule(flushIntervalMs);
    },
    recordAction(a) {
      const id = a.id ?? randomUUID();
      queue.push({ kind: "action", v: { ...a, id } });
      enqueueNow();
      schedule(flushIntervalMs);
      return id;
    },
    updateAction(id, update) {
      queue.push({ kind: "actionUpdate", id, v: update });
      enqueueNow();
      schedule(flushIntervalMs);
    },
    async flush() {
      // A drain in progress may have started before the latest items: wait, then drain again.
      if (running) await running.catch(() => {});
      await drain();
    },
    health,
    stats: () => ({ ...counters }),
    startRetention: (ro) => createRetention(db, ro, now),
    async close(timeoutMs = 5_000) {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      let bound: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        bound = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([store.flush().catch(() => {}), deadline]);
      clearTimeout(bound);
    },
  };
  return store;
}
