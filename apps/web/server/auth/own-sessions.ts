import type { AuthStore, OwnSessionRow } from "./store.ts";

/** What a user's session list calls a session: a prefix of its stored hash, never the token. */
export const publicSessionId = (sessionId: string) => sessionId.slice(0, 16);

type Who = { userId: string; sessionId: string };

/**
 * A user's own sessions: the list, and signing out one of them or all but the current one.
 * `ended` is told about every session that ends (the service evicts it and closes its sockets).
 */
export class OwnSessions {
  constructor(
    private readonly store: AuthStore,
    private readonly ended: (sessionId: string) => void,
  ) {}

  /** `current` marks the session asking. */
  async list(who: Who): Promise<(OwnSessionRow & { current: boolean })[]> {
    const list = await this.store.sessionsOf(who.userId);
    return list.map((s) => ({ ...s, id: publicSessionId(s.id), current: s.id === who.sessionId }));
  }

  /** Returns how many sessions ended. */
  async end(who: Who, which: { id: string } | { others: true }): Promise<number> {
    let ended: string[];
    if ("id" in which) {
      const target = (await this.store.sessionsOf(who.userId)).find(
        (s) => publicSessionId(s.id) === which.id,
      );
      if (!target) return 0;
      ended = await this.store.endSessions(who.userId, { only: target.id });
    } else {
      ended = await this.store.endSessions(who.userId, { except: who.sessionId });
    }
    for (const sessionId of ended) this.ended(sessionId);
    return ended.length;
  }
}
