import type { ChannelContext, DeliveryOutcome, Notification, SentRequest } from "../../notify/types.ts";
import { type BackoffPolicy, DELIVERY_BACKOFF, retryDelay } from "./backoff.ts";
import { type OutboxRecorder, sleep } from "./recorder.ts";
import { type DeliveryAttempt, entryId, type OutboxEntry } from "./types.ts";

const MAX_KNOWN = 100_000;

/** Sends one notification through the named channel (the app resolves its config and kind). */
export type SendFn = (
  channel: string,
  notification: Notification,
  ctx: ChannelContext,
) => Promise<DeliveryOutcome>;

export interface DispatcherOptions {
  recorder: OutboxRecorder;
  send: SendFn;
  /** Blanks secrets out of what the delivery log stores (the config's Redactor.redact). */
  redact: (text: string) => string;
  /** A delivery still failing this long after it was decided is marked failed. */
  giveUpAfterMs: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Deliveries in flight per channel (one at a time per incident); default 8. */
  concurrency?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
  random?: () => number;
  /** Every attempt, for metrics and the live UI. */
  onAttempt?: (entry: Readonly<OutboxEntry>, attempt: DeliveryAttempt) => void;
}

/**
 * Delivers outbox entries: one worker per channel, so a dead channel only delays itself. Within
 * a channel entries go out in order (a resolve never overtakes its trigger); a retryable failure
 * waits with backoff + jitter (or the receiver's Retry-After) and the entry is retried until it
 * is delivered, refused for good, or older than `giveUpAfterMs`.
 */
export class Dispatcher {
  readonly #opts: DispatcherOptions;
  readonly #workers = new Map<string, ChannelWorker>();
  readonly #stop = new AbortController();
  readonly #known = new Set<string>();

  constructor(opts: DispatcherOptions) {
    this.#opts = opts;
  }

  /** Writes the entries to the outbox and queues them; returns them (state `pending`). */
  submit(notification: Notification, channels: readonly string[]): OutboxEntry[] {
    const now = this.#now();
    const entries = channels.map(
      (channel): OutboxEntry => ({
        id: entryId(notification.id, channel),
        channel,
        notification,
        createdAt: now,
        state: "pending",
        attempts: 0,
        nextAttemptAt: now,
      }),
    );
    if (entries.length > 0) this.#opts.recorder.add(entries);
    this.resume(entries, { force: true });
    return entries;
  }

  /**
   * Queues entries that are already in the outbox: pending ones after a restart. An entry this
   * process already queued is skipped, so a `pending()` read racing a live delivery (the row still
   * says pending because its "sent" write is queued) cannot send it twice. `force` is for a manual
   * retry of a failed entry.
   */
  resume(entries: readonly OutboxEntry[], opts: { force?: boolean } = {}): void {
    for (const entry of entries) {
      if (!opts.force && this.#known.has(entry.id)) continue;
      this.#remember(entry.id);
      this.#worker(entry.channel).push(entry);
    }
  }

  /** Entry ids queued by this process, oldest first (bounded: a restart re-reads the store anyway). */
  #remember(id: string): void {
    this.#known.add(id);
    if (this.#known.size > MAX_KNOWN) {
      const oldest = this.#known.values().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
  }

  /** Queued (undelivered) entries per channel and the oldest one's creation time. */
  depth(): Map<string, { queued: number; oldestCreatedAt: number | undefined }> {
    const out = new Map<string, { queued: number; oldestCreatedAt: number | undefined }>();
    for (const [channel, worker] of this.#workers) out.set(channel, worker.depth());
    return out;
  }

  /** Stops every worker; an attempt in flight is aborted and stays pending in the store. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.all([...this.#workers.values()].map((w) => w.done));
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  #worker(channel: string): ChannelWorker {
    let worker = this.#workers.get(channel);
    if (!worker) {
      worker = new ChannelWorker(
        (entry) => this.#attempt(entry),
        this.#stop.signal,
        () => this.#now(),
        this.#opts.concurrency ?? 8,
      );
      this.#workers.set(channel, worker);
    }
    return worker;
  }

  async #attempt(entry: OutboxEntry): Promise<void> {
    const opts = this.#opts;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const started = this.#now();
    const signal = AbortSignal.any([this.#stop.signal, AbortSignal.timeout(timeoutMs)]);
    let outcome: DeliveryOutcome;
    try {
      outcome = await opts.send(entry.channel, entry.notification, { signal, timeoutMs });
    } catch (error) {
      // Channels report failures as values; a throw here is a bug in one, not a reason to stop.
      outcome = {
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        retryable: false,
      };
    }
    const at = this.#now();
    entry.attempts += 1;
    if (outcome.ok) {
      entry.state = "sent";
      entry.sentAt = at;
      entry.lastError = undefined;
    } else {
      entry.lastError = opts.redact(outcome.error);
      const expired = at - entry.createdAt >= opts.giveUpAfterMs;
      if (!outcome.retryable || expired) entry.state = "failed";
      else {
        const delay = retryDelay(
          opts.backoff ?? DELIVERY_BACKOFF,
          entry.attempts,
          opts.random ?? Math.random,
          outcome.retryAfterMs,
        );
        entry.nextAttemptAt = at + delay;
      }
    }
    const attempt: DeliveryAttempt = {
      id: `${entry.id}#${entry.attempts}`,
      entryId: entry.id,
      channel: entry.channel,
      at,
      durationMs: at - started,
      ok: outcome.ok,
      status: outcome.status,
      error: outcome.ok ? undefined : entry.lastError,
      request: outcome.sent ? redactRequest(outcome.sent, opts.redact) : undefined,
      response: outcome.ok && outcome.response !== undefined ? opts.redact(outcome.response) : undefined,
    };
    opts.recorder.record(entry, attempt);
    opts.onAttempt?.(entry, attempt);
  }
}

function redactRequest(sent: SentRequest, redact: (text: string) => string): SentRequest {
  return {
    target: redact(sent.target),
    ...(sent.method === undefined ? {} : { method: sent.method }),
    ...(sent.headers === undefined
      ? {}
      : { headers: Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k, redact(v)])) }),
    body: redact(sent.body),
  };
}

/**
 * One channel's queue and the loop that works it: up to `concurrency` deliveries at once, but
 * one at a time per incident and in order, so a resolve never overtakes its trigger and a trigger
 * waiting out a backoff holds back only its own incident.
 */
class ChannelWorker {
  readonly #queue: OutboxEntry[] = [];
  readonly #inFlight = new Map<OutboxEntry, Promise<void>>();
  #wake = new AbortController();
  readonly done: Promise<void>;

  constructor(
    private readonly attempt: (entry: OutboxEntry) => Promise<void>,
    private readonly signal: AbortSignal,
    private readonly now: () => number,
    private readonly concurrency: number,
  ) {
    this.done = this.#run();
  }

  push(entry: OutboxEntry): void {
    if (this.#queue.some((queued) => queued.id === entry.id)) return;
    this.#queue.push(entry);
    this.#wake.abort();
  }

  depth(): { queued: number; oldestCreatedAt: number | undefined } {
    return { queued: this.#queue.length, oldestCreatedAt: this.#queue[0]?.createdAt };
  }

  async #run(): Promise<void> {
    while (!this.signal.aborted) {
      const { due, nextAt } = this.#pick();
      for (const entry of due) this.#start(entry);
      if (due.length > 0) continue;
      const wait = nextAt === undefined ? 60_000 : Math.max(0, nextAt - this.now());
      await sleep(wait, AbortSignal.any([this.signal, this.#wake.signal]));
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
    }
    await Promise.all(this.#inFlight.values());
  }

  /** Entries to start now (first of their incident, due, within the concurrency) and when the next one is due. */
  #pick(): { due: OutboxEntry[]; nextAt: number | undefined } {
    const due: OutboxEntry[] = [];
    const seen = new Set<string>();
    let nextAt: number | undefined;
    const now = this.now();
    for (const entry of this.#queue) {
      const key = entry.notification.incidentKey;
      if (seen.has(key)) continue;
      seen.add(key);
      if (this.#inFlight.has(entry)) continue;
      if (entry.nextAttemptAt > now) {
        nextAt = Math.min(nextAt ?? entry.nextAttemptAt, entry.nextAttemptAt);
        continue;
      }
      if (this.#inFlight.size + due.length >= this.concurrency) break;
      due.push(entry);
    }
    return { due, nextAt };
  }

  #start(entry: OutboxEntry): void {
    const running = this.attempt(entry).finally(() => {
      this.#inFlight.delete(entry);
      if (entry.state !== "pending") this.#queue.splice(this.#queue.indexOf(entry), 1);
      this.#wake.abort();
    });
    this.#inFlight.set(entry, running);
  }
}
