/**
 * Failed sign-ins per key in a sliding window, with a hard bound on memory: when the map is full
 * the oldest key goes first, so a flood of distinct keys (random usernames) costs at most
 * `maxKeys` entries and cannot lift the limit of the keys that matter (Maps keep insertion order).
 */
export class FailureLimiter {
  readonly #hits = new Map<string, number[]>();

  constructor(
    private readonly opts: { max: number; windowMs: number; maxKeys: number; now?: () => number },
  ) {}

  #now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.opts.windowMs;
    const list = (this.#hits.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.#hits.delete(key);
    else this.#hits.set(key, list);
    return list;
  }

  /** Seconds until the next attempt is allowed; 0 = allowed now. */
  retryAfter(key: string): number {
    const list = this.#recent(key);
    if (list.length < this.opts.max) return 0;
    const oldest = list[list.length - this.opts.max] ?? this.#now();
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.#now()) / 1000));
  }

  fail(key: string): void {
    const list = this.#recent(key);
    list.push(this.#now());
    // Only the newest `max` timestamps decide anything.
    if (list.length > this.opts.max) list.splice(0, list.length - this.opts.max);
    this.#hits.delete(key);
    this.#hits.set(key, list);
    while (this.#hits.size > this.opts.maxKeys) {
      const oldest = this.#hits.keys().next().value;
      if (oldest === undefined) break;
      this.#hits.delete(oldest);
    }
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  get size(): number {
    return this.#hits.size;
  }
}
