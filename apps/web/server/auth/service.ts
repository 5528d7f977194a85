import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { cookie, SESSION_COOKIE, SHARE_COOKIE } from "./cookies.ts";
import { type CsrfBinding, csrfKey, csrfToken, csrfTokenValid } from "./csrf.ts";
import { dummyHash, hashPassword, verifyPassword } from "./password.ts";
import { FailureLimiter } from "./rate-limit.ts";
import type { Principal, Role } from "./roles.ts";
import { type SharePayload, signShare, verifyShare } from "./share.ts";
import type { AuthStore, SessionRow, ShareRow, UserRow } from "./store.ts";
import { hashToken, newToken, safeEqual } from "./tokens.ts";

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
  /** VIGIL_ANONYMOUS_READ=1: requests without a session read as "anonymous" viewers. */
  anonymousRead?: boolean;
  log: (line: string) => void;
  now?: () => number;
}

export type LoginOutcome =
  | { ok: true; token: string; user: UserRow; expiresAt: Date }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

const DAY = 24 * 3_600_000;
/** How long a session lookup is trusted without asking the database again. */
const SESSION_FRESH_MS = 5_000;

export class AuthService {
  readonly #store: AuthStore;
  readonly #ttl: number;
  readonly #anonymous: boolean;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #perUser: FailureLimiter;
  readonly #perIp: FailureLimiter;
  #secret = "";
  #csrfKey = "";
  #dummy = "";
  #setupToken: string | null = null;
  readonly #revoked = new Set<(who: { userId?: string; sessionId?: string }) => void>();
  /**
   * Sessions seen recently. Fresh entries spare a query per request; stale ones answer only while
   * the database is unreachable, so a Postgres outage does not sign everyone out. Revocations go
   * through this process and evict here first, so the cache never outlives a logout.
   */
  readonly #sessions = new Map<string, { row: SessionRow; at: number }>();

  constructor(opts: AuthServiceOptions) {
    this.#store = opts.store;
    this.#ttl = opts.sessionTtlMs ?? 7 * DAY;
    this.#anonymous = opts.anonymousRead ?? false;
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.#perUser = new FailureLimiter({ max: 5, windowMs: 15 * 60_000, maxKeys: 10_000, now: this.#now });
    this.#perIp = new FailureLimiter({ max: 50, windowMs: 15 * 60_000, maxKeys: 10_000, now: this.#now });
    if (opts.secret !== undefined && opts.secret.length < 32)
      throw new Error("VIGIL_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)");
    if (opts.secret) this.#secret = opts.secret;
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
    this.#dummy = await dummyHash();
    if ((await this.#store.userCount()) > 0) return;
    if (env.adminUser && env.adminPassword) {
      const created = await this.#store.createFirstAdmin({
        username: env.adminUser,
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
    const user = await this.#store.createFirstAdmin({ username, passwordHash: await hashPassword(password) });
    if (user) this.#setupToken = null;
    return user;
  }

  async login(username: string, password: string, ip: string): Promise<LoginOutcome> {
    const userKey = `${ip}\u0000${username.toLowerCase()}`;
    const wait = Math.max(this.#perUser.retryAfter(userKey), this.#perIp.retryAfter(ip));
    if (wait > 0) return { ok: false, reason: "limited", retryAfterSeconds: wait };
    const user = await this.#store.userByName(username);
    // Unknown users cost one scrypt too, so timing does not tell which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? this.#dummy);
    if (!user || !ok) {
      this.#perUser.fail(userKey);
      this.#perIp.fail(ip);
      return { ok: false, reason: "invalid" };
    }
    this.#perUser.reset(userKey);
    const token = newToken();
    const expiresAt = new Date(this.#now() + this.#ttl);
    await this.#store.createSession({ tokenHash: hashToken(token), userId: user.id, expiresAt });
    return { ok: true, token, user, expiresAt };
  }

  /** `sessionId` is the stored hash (Principal.sessionId), never the cookie value. */
  async logout(sessionId: string): Promise<void> {
    await this.#store.deleteSession(sessionId);
    this.#notify({ sessionId });
  }

  async changePassword(userId: string, current: string, next: string): Promise<boolean> {
    const user = await this.#store.userById(userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) return false;
    await this.#store.setPassword(userId, await hashPassword(next));
    this.#notify({ userId });
    return true;
  }

  /** Admin reset: new hash, every session of that user ends. */
  async resetPassword(userId: string, next: string): Promise<void> {
    await this.#store.setPassword(userId, await hashPassword(next));
    this.#notify({ userId });
  }

  async createUser(username: string, role: Role, password: string): Promise<UserRow | null> {
    return this.#store.createUser({ username, role, passwordHash: await hashPassword(password) });
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

  /** Open sockets subscribe here so a logout or password change disconnects them. */
  onRevoked(fn: (who: { userId?: string; sessionId?: string }) => void): () => void {
    this.#revoked.add(fn);
    return () => this.#revoked.delete(fn);
  }

  #notify(who: { userId?: string; sessionId?: string }): void {
    for (const [id, hit] of this.#sessions)
      if (id === who.sessionId || hit.row.userId === who.userId) this.#sessions.delete(id);
    for (const fn of this.#revoked) fn(who);
  }

  /** Session cookie → user; else share cookie → share scope; else anonymous when enabled. */
  async principal(req: IncomingMessage): Promise<Principal | null> {
    const token = cookie(req, SESSION_COOKIE);
    if (token && token.length <= 128) {
      const sessionId = hashToken(token);
      const s = await this.#session(sessionId);
      if (s) return { kind: "user", name: s.username, role: s.role, userId: s.userId, sessionId };
    }
    const share = cookie(req, SHARE_COOKIE);
    if (share) {
      const scope = await this.openShare(share);
      if (scope)
        return { kind: "share", name: `share:${scope.id.slice(0, 8)}`, role: "viewer", share: scope };
    }
    if (this.#anonymous) return { kind: "anonymous", name: "anonymous", role: "viewer" };
    return null;
  }

  async #session(sessionId: string): Promise<SessionRow | null> {
    const now = this.#now();
    const hit = this.#sessions.get(sessionId);
    const usable = hit && hit.row.expiresAt.getTime() > now ? hit.row : null;
    if (usable && hit && now - hit.at < SESSION_FRESH_MS) return usable;
    let row: SessionRow | null;
    try {
      row = await this.#store.session(sessionId);
    } catch (err) {
      if (usable) return usable;
      throw err;
    }
    this.#sessions.delete(sessionId);
    if (row) {
      this.#sessions.set(sessionId, { row, at: now });
      while (this.#sessions.size > 10_000) {
        const oldest = this.#sessions.keys().next().value;
        if (oldest === undefined) break;
        this.#sessions.delete(oldest);
      }
    }
    return row;
  }

  /** The CSRF token of a session or pre-session nonce (csrf.ts); the same one every time. */
  csrfToken(binding: CsrfBinding): string {
    return csrfToken(this.#initialisedCsrfKey(), binding);
  }

  /** True when `header` is the CSRF token bound to this request's own session (or nonce). */
  csrfValid(req: IncomingMessage, header: unknown): boolean {
    return csrfTokenValid(this.#initialisedCsrfKey(), req, header);
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
