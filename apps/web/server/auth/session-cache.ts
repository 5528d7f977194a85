import type { AuthStore, SessionRow } from "./store.ts";

/** How long a session lookup is trusted without asking the database again. */
const SESSION_FRESH_MS = 5_000;
/** `last_seen_at` is written at most this often per session (the idle timeout's precision). */
const TOUCH_EVERY_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Sessions seen recently. Fresh entries spare a query per request; stale ones answer only while
 * the database is unreachable, so a Postgres outage does not sign everyone out. Revocations go
 * through this process and evict here first, so the cache never outlives a logout. A lookup that
 * reaches the database also records the session as used (for VIGIL_SESSION_IDLE_MINUTES).
 */
export class SessionCache {
  readonly #entries = new Map<string, { row: SessionRow; at: number }>();

  constructor(
    private readonly opts: {
      store: AuthStore;
      /** null = no idle timeout. */
      idleMs: number | null;
      now: () => number;
      log: (line: string) => void;
    },
  ) {}

  async get(sessionId: string): Promise<SessionRow | null> {
    const now = this.opts.now();
    const hit = this.#entries.get(sessionId);
    const usable = hit && hit.row.expiresAt.getTime() > now ? hit.row : null;
    if (usable && hit && now - hit.at < SESSION_FRESH_MS) return usable;
    let row: SessionRow | null;
    try {
      row = await this.opts.store.session(sessionId, this.opts.idleMs);
    } catch (err) {
      if (usable) return usable;
      throw err;
    }
    if (row && now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      row.lastSeenAt = new Date(now);
      void this.opts.store.touchSession(sessionId).catch((err: unknown) => {
        this.opts.log(
          `auth: could not mark a session as used: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
    }
    this.#entries.delete(sessionId);
    if (row) {
      this.#entries.set(sessionId, { row, at: now });
      while (this.#entries.size > MAX_ENTRIES) {
        const oldest = this.#entries.keys().next().value;
        if (oldest === undefined) break;
        this.#entries.delete(oldest);
      }
    }
    return row;
  }

  /** Forgets the session, or every session of the user. */
  evict(who: { userId?: string; sessionId?: string }): void {
    for (const [id, hit] of this.#entries)
      if (id === who.sessionId || hit.row.userId === who.userId) this.#entries.delete(id);
  }
}
