import { createHash } from "node:crypto";

/*
 * Rendered public answers, keyed by what they depend on (page, store version, component
 * statuses, bar freshness): a status change or an operator's edit changes the key, so nothing is
 * ever invalidated by hand and a stale entry just ages out. Bounded by entry count.
 */

export interface Rendered {
  body: Buffer;
  etag: string;
  contentType: string;
}

export class RenderCache {
  readonly #entries = new Map<string, Rendered>();
  constructor(private readonly maxEntries = 500) {}

  async get(key: string, render: () => Promise<{ body: string; contentType: string }>): Promise<Rendered> {
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const out = await render();
    const body = Buffer.from(out.body, "utf8");
    const entry = {
      body,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      contentType: out.contentType,
    };
    this.#entries.set(key, entry);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry;
  }
}

/** Fixed-window request counter per client address; a full map drops its oldest keys. */
export class IpLimiter {
  readonly #counts = new Map<string, { window: number; n: number }>();
  constructor(private readonly opts: { perMinute: number; maxKeys: number; now?: () => number }) {}

  /** Seconds to wait; 0 = allowed (and counted). */
  take(ip: string): number {
    const now = this.opts.now?.() ?? Date.now();
    const window = Math.floor(now / 60_000);
    const cur = this.#counts.get(ip);
    const entry = cur && cur.window === window ? cur : { window, n: 0 };
    entry.n++;
    this.#counts.delete(ip);
    this.#counts.set(ip, entry);
    while (this.#counts.size > this.opts.maxKeys) {
      const oldest = this.#counts.keys().next().value;
      if (oldest === undefined) break;
      this.#counts.delete(oldest);
    }
    return entry.n > this.opts.perMinute ? Math.ceil(((window + 1) * 60_000 - now) / 1000) : 0;
  }
}
