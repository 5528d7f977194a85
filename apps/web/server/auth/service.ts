import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { rateKey } from "./client-ip.ts";
import { cookie, SESSION_COOKIE, SHARE_COOKIE } from "./cookies.ts";
import { type CsrfBinding, csrfKey, csrfToken, csrfTokenValid } from "./csrf.ts";
import { OwnSessions } from "./own-sessions.ts";
import { dummyHash, hashPassword, verifyPassword } from "./password.ts";
import { FailureLimiter } from "./rate-limit.ts";
import type { Principal, Role } from "./roles.ts";
import { SessionCache } from "./session-cache.ts";
import { type SharePayload, signShare, verifyShare } from "./share.ts";
import type { AuthStore, ShareRow, UserRow } from "./store.ts";
import { hashToken, hmac, newToken, safeEqual } from "./tokens.ts";

/*
 * Sign-in, sessions, first-run setup and share links. Everything a request can prove about itself
 * (a session cookie, a share cookie) is turned into a Principal here; what that principal may do is
 * decided by the permission table (permissions.ts), not here.
 */

export interface AuthServiceOptions {
  store: AuthStore;
  /** VIGIL_SECRET; when unset one is generated once and kept in the database. */
  secret?: string | undefined;
  sessionTtlMs?: number;
  /** VIGIL_SESSION_IDLE_MINUTES: a session unused this long ends (unset = only the TTL applies). */
  sessionIdleMs?: number | undefined;
  /** VIGIL_ANONYMOUS_READ=1: requests without a session read as "anonymous" viewers. */
  anonymousRead?: boolean;
  log: (line: string) => void;
  now?: () => number;
  /** True when the request came over https: cookies then carry the `__Host-` prefix (cookies.ts). */
  secure?: (req: IncomingMessage) => boolean;
}

export type LoginOutcome =
  | { ok: true; token: string; user: UserRow; expiresAt: Date }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

export type PasswordChangeOutcome =
  | { ok: true }
  | { ok: false; reason: "wrong" }
  /** The failure that reached the limit: the session it came from has been signed out. */
  | { ok: false; reason: "signed-out" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

/**
 * One spelling per account: `OPS` and `ops` are the same user. Usernames are ASCII (the contract's
 * pattern), so a plain lower-case fold is exact; the database enforces it too (fold_usernames).
 */
export function foldUsername(name: string): string {
  return name.trim().toLowerCase();
}

const DAY = 24 * 3_600_000;
/** Wrong current passwords per user in 15 minutes before 429 (and the session that sent them ends). */
export const PASSWORD_CHANGE_FAILURES = 5;

export class AuthService {
  readonly #store: AuthStore;
  readonly #ttl: number;
  readonly #anonymous: boolean;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #secure: (req: IncomingMessage) => boolean;
  readonly #perUser: FailureLimiter;
  readonly #perIp: FailureLimiter;
  /** Wrong `current` passwords per user: a stolen session must not become a guessing oracle. */
  readonly #passwordChanges: FailureLimiter;
  #secret = "";
  #csrfKey = "";
  #nameKey = "";
  #dummy = "";
  #setupToken: string | null = null;
  readonly #revoked = new Set<(who: { userId?: string; sessionId?: string }) => void>();
  readonly #sessions: SessionCache;
  /** The signed-in user's own session list (own-sessions-routes.ts). */
  readonly ownSessions: OwnSessions;

  constructor(opts: AuthServiceOptions) {
    this.#store = opts.store;
    this.#ttl = opts.sessionTtlMs ?? 7 * DAY;
    this.#anonymous = opts.anonymousRead ?? false;
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.#secure = opts.secure ?? (() => false);
    this.#perUser = new FailureLimiter({ max: 5, windowMs: 15 * 60_000, maxKeys: 10_000, now: this.#now });
    this.#perIp = new FailureLimiter({ max: 50, windowMs: 15 * 60_000, maxKeys: 10_000, now: this.#now });
    this.#passwordChanges = new FailureLimiter({
      max: PASSWORD_CHANGE_FAILURES,
      windowMs: 15 * 60_000,
      maxKeys: 10_000,
      now: this.#now,
    });
    if (opts.secret !== undefined && opts.secret.length < 32)
      throw new Error("VIGIL_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)");
    if (opts.secret) this.#secret = opts.secret;
    this.#sessions = new SessionCache({
      store: this.#store,
      idleMs: opts.sessionIdleMs ?? null,
      now: this.#now,
      log: this.#log,
    });
    this.ownSessions = new OwnSessions(this.#store, (sessionId) => this.#notify({ sessionId }));
  }

  get store(): AuthStore {
    return this.#store;
  }

  get anonymousRead(): boolean {
    return this.#anonymous;
  }

  /** Loads or creates the signing secret; creates the env admin or a one-time setup token. */
  async init(
    env: { adminUser?: string | undefined; adminPassword?: string | undefined } = {},
  ): Promise<void> {
    this.#secret ||= await this.#store.secret("share_hmac", newToken(48));
    this.#csrfKey = csrfKey(this.#secret);
    // Its own key, so an audit pseudonym can never double as a CSRF token or a link signature.
    this.#nameKey = hmac(this.#secret, "vigil audit name key v1");
    this.#dummy = await dummyHash();
    if ((await this.#store.userCount()) > 0) return;
    if (env.adminUser && env.adminPassword) {
      const created = await this.#store.createFirstAdmin({
        username: foldUsername(env.adminUser),
        passwordHash: await hashPassword(env.adminPassword),
      });
      if (created) this.#log(`auth: created the first admin "${created.username}" from VIGIL_ADMIN_USER`);
      return;
    }
    this.#setupToken = newToken(24);
  }

  /** Non-null only while no user exists; the composition root prints it once. */
  get setupToken(): string | null {
    return this.#setupToken;
  }

  async needsSetup(): Promise<boolean> {
    return this.#setupToken !== null && (await this.#store.userCount()) === 0;
  }

  /** The first admin, with the token from the server log. Null = wrong token or already set up. */
  async setup(token: string, username: string, password: string): Promise<UserRow | null> {
    const expected = this.#setupToken;
    if (expected === null || !safeEqual(token, expected)) return null;
    const user = await this.#store.createFirstAdmin({
      username: foldUsername(username),
      passwordHash: await hashPassword(password),
    });
    if (user) this.#setupToken = null;
    return user;
  }

  async login(username: string, password: string, ip: string, userAgent?: string): Promise<LoginOutcome> {
    const name = foldUsername(username);
    const client = rateKey(ip);
    const userKey = `${client}\u0000${name}`;
    const wait = Math.max(this.#perUser.retryAfter(userKey), this.#perIp.retryAfter(client));
    if (wait > 0) return { ok: false, reason: "limited", retryAfterSeconds: wait };
    const user = await this.#store.userByName(name);
    // Unknown users cost one scrypt too, so timing does not tell which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? this.#dummy);
    if (!user || !ok) {
      this.#perUser.fail(userKey);
      this.#perIp.fail(client);
      return { ok: false, reason: "invalid" };
    }
    this.#perUser.reset(userKey);
    const token = newToken();
    const expiresAt = new Date(this.#now() + this.#ttl);
    await this.#store.createSession({
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt,
      ip,
      userAgent: userAgent?.slice(0, 200),
    });
    return { ok: true, token, user, expiresAt };
  }

  /** `sessionId` is the stored hash (Principal.sessionId), never the cookie value. */
  async logout(sessionId: string): Promise<void> {
    await this.#store.deleteSession(sessionId);
    this.#notify({ sessionId });
  }

  /**
   * Own password change. Limited per user before any scrypt runs; the failure that reaches the
   * limit also signs out the session it came from, so a stolen cookie gets a handful of guesses.
   */
  async changePassword(
    who: { userId: string; sessionId: string },
    current: string,
    next: string,
  ): Promise<PasswordChangeOutcome> {
    const wait = this.#passwordChanges.retryAfter(who.userId);
    if (wait > 0) return { ok: false, reason: "limited", retryAfterSeconds: wait };
    const user = await this.#store.userById(who.userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      this.#passwordChanges.fail(who.userId);
      if (this.#passwordChanges.retryAfter(who.userId) === 0) return { ok: false, reason: "wrong" };
      await this.logout(who.sessionId);
      return { ok: false, reason: "signed-out" };
    }
    this.#passwordChanges.reset(who.userId);
    await this.#store.setPassword(who.userId, await hashPassword(next));
    this.#notify({ userId: who.userId });
    return { ok: true };
  }

  /** Admin reset: new hash, every session of that user ends. */
  async resetPassword(userId: string, next: string): Promise<void> {
    await this.#store.setPassword(userId, await hashPassword(next));
    this.#notify({ userId });
  }

  async createUser(username: string, role: Role, password: string): Promise<UserRow | null> {
    return this.#store.createUser({
      username: foldUsername(username),
      role,
      passwordHash: await hashPassword(password),
    });
  }

  async deleteUser(userId: string): Promise<boolean> {
    const ok = await this.#store.deleteUser(userId);
    if (ok) this.#notify({ userId });
    return ok;
  }

  async setRole(userId: string, role: Role): Promise<boolean> {
    const ok = await this.#store.setRole(userId, role);
    // Open sockets were admitted under the old role: make them reconnect under the new one.
    if (ok) this.#notify({ userId });
    return ok;
  }

  /**
   * A short keyed hash of a name for the audit of failed sign-ins: the same name gives the same
   * value (repeated attempts can be seen), but nobody reading the audit learns what was typed.
   */
  pseudonym(text: string): string {
    if (!this.#nameKey) throw new Error("AuthService.init() must run before audit pseudonyms are made");
    return hmac(this.#nameKey, foldUsername(text)).slice(0, 10);
  }

  /** Open sockets subscribe here so a logout or password change disconnects them. */
  onRevoked(fn: (who: { userId?: string; sessionId?: string }) => void): () => void {
    this.#revoked.add(fn);
    return () => this.#revoked.delete(fn);
  }

  #notify(who: { userId?: string; sessionId?: string }): void {
    this.#sessions.evict(who);
    for (const fn of this.#revoked) fn(who);
  }

  /** Session cookie → user; else share cookie → share scope; else anonymous when enabled. */
  async principal(req: IncomingMessage): Promise<Principal | null> {
    const secure = this.#secure(req);
    const token = cookie(req, SESSION_COOKIE, secure);
    if (token && token.length <= 128) {
      const sessionId = hashToken(token);
      const s = await this.#sessions.get(sessionId);
      if (s) return { kind: "user", name: s.username, role: s.role, userId: s.userId, sessionId };
    }
    const share = cookie(req, SHARE_COOKIE, secure);
    if (share) {
      const scope = await this.openShare(share);
      if (scope)
        return { kind: "share", name: `share:${scope.id.slice(0, 8)}`, role: "viewer", share: scope };
    }
    if (this.#anonymous) return { kind: "anonymous", name: "anonymous", role: "viewer" };
    return null;
  }

  /** The CSRF token of a session or pre-session nonce (csrf.ts); the same one every time. */
  csrfToken(binding: CsrfBinding): string {
    return csrfToken(this.#initialisedCsrfKey(), binding);
  }

  /** True when `header` is the CSRF token bound to this request's own session (or nonce). */
  csrfValid(req: IncomingMessage, header: unknown): boolean {
    return csrfTokenValid(this.#initialisedCsrfKey(), req, header, this.#secure(req));
  }

  // Before init() there is no secret, and an HMAC under an empty key would be forgeable.
  #initialisedCsrfKey(): string {
    if (!this.#csrfKey) throw new Error("AuthService.init() must run before CSRF tokens are used");
    return this.#csrfKey;
  }

  async createShare(q: {
    service: string;
    from: Date;
    to: Date;
    expiresAt: Date;
    createdBy: string;
  }): Promise<{ token: string; id: string }> {
    const payload: SharePayload = {
      v: 1,
      id: randomUUID(),
      s: q.service,
      f: q.from.getTime(),
      t: q.to.getTime(),
      e: q.expiresAt.getTime(),
      n: newToken(12),
    };
    const token = signShare(this.#secret, payload);
    await this.#store.createShare({ ...q, id: payload.id, tokenHash: hashToken(token) });
    return { token, id: payload.id };
  }

  /** A valid, unexpired, unrevoked link's scope; null otherwise, whatever the reason. */
  async openShare(
    token: string,
  ): Promise<{ id: string; service: string; from: Date; to: Date; expiresAt: Date } | null> {
    const payload = verifyShare(this.#secret, token);
    if (!payload || payload.e <= this.#now()) return null;
    const row: ShareRow | null = await this.#store.shareByHash(hashToken(token));
    if (!row || row.revokedAt !== null || row.expiresAt.getTime() <= this.#now()) return null;
    const agrees =
      row.id === payload.id &&
      row.service === payload.s &&
      row.from.getTime() === payload.f &&
      row.to.getTime() === payload.t;
    return agrees
      ? { id: row.id, service: row.service, from: row.from, to: row.to, expiresAt: row.expiresAt }
      : null;
  }
}
