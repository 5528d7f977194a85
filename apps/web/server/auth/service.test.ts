import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password.ts";
import { FailureLimiter } from "./rate-limit.ts";
import { AuthService } from "./service.ts";
import { AuthStore } from "./store.ts";
import { authDatabase } from "./testing/db.ts";

/* Sign-in, sessions, setup and share links against a real Postgres database. */

let db: Awaited<ReturnType<typeof authDatabase>>;
let store: AuthStore;

beforeAll(async () => {
  db = await authDatabase();
  store = new AuthStore(db.sql);
});
afterAll(async () => {
  await db?.drop();
});

const withCookie = (cookie: string) => ({ headers: { cookie }, socket: {} }) as unknown as IncomingMessage;
const service = (opts: Partial<ConstructorParameters<typeof AuthService>[0]> = {}) =>
  new AuthService({ store, log: () => undefined, ...opts });

describe("passwords", () => {
  it("scrypt hashes carry their parameters and a per-hash salt; only the right password verifies", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("x", "scrypt$1$1$1$$")).toBe(false);
  });
});

describe("first run", () => {
  it("creates the first admin only with the setup token, once", async () => {
    const auth = service();
    await auth.init();
    const token = auth.setupToken;
    expect(token).toMatch(/^[\w-]{20,}$/);
    expect(await auth.needsSetup()).toBe(true);
    expect(await auth.setup("wrong-token", "root", "a long password")).toBeNull();
    const admin = await auth.setup(token ?? "", "root", "a long password");
    expect(admin?.role).toBe("admin");
    expect(auth.setupToken).toBeNull();
    expect(await auth.setup(token ?? "", "root2", "a long password")).toBeNull();
    // A second process booting now sees users and offers no setup at all.
    const later = service();
    await later.init({ adminUser: "env-admin", adminPassword: "another long one" });
    expect(later.setupToken).toBeNull();
    expect(await store.userByName("env-admin")).toBeNull();
  });

  it("two concurrent first-admin claims: exactly one wins", async () => {
    const other = await authDatabase();
    try {
      const s = new AuthStore(other.sql);
      const results = await Promise.all(
        ["a", "b", "c", "d"].map((name) => s.createFirstAdmin({ username: name, passwordHash: "x" })),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await s.userCount()).toBe(1);
    } finally {
      await other.drop();
    }
  });
});

describe("sessions", () => {
  it("sign-in yields a session cookie token stored only as a hash; sign-out revokes it", async () => {
    const auth = service();
    await auth.init();
    await auth.createUser("olga", "operator", "operator password");
    const out = await auth.login("olga", "operator password", "10.0.0.1");
    if (!out.ok) throw new Error("login failed");
    const rows = await db.sql.query("select id from sessions where id = $1", [out.token]);
    expect(rows.rowCount).toBe(0);
    const who = await auth.principal(withCookie(`vigil_session=${out.token}`));
    expect(who).toMatchObject({ kind: "user", name: "olga", role: "operator" });
    if (who?.kind !== "user") throw new Error("no user");
    await auth.logout(who.sessionId);
    expect(await auth.principal(withCookie(`vigil_session=${out.token}`))).toBeNull();
  });

  it("a password change ends every session of that user", async () => {
    const auth = service();
    await auth.init();
    const user = await auth.createUser("pat", "viewer", "first password!");
    const one = await auth.login("pat", "first password!", "10.0.0.2");
    const two = await auth.login("pat", "first password!", "10.0.0.3");
    if (!one.ok || !two.ok || !user) throw new Error("setup failed");
    const who = { userId: user.id, sessionId: "" };
    expect(await auth.changePassword(who, "not it", "second password!")).toEqual({
      ok: false,
      reason: "wrong",
    });
    expect(await auth.changePassword(who, "first password!", "second password!")).toEqual({ ok: true });
    expect(await auth.principal(withCookie(`vigil_session=${one.token}`))).toBeNull();
    expect(await auth.principal(withCookie(`vigil_session=${two.token}`))).toBeNull();
    expect((await auth.login("pat", "second password!", "10.0.0.2")).ok).toBe(true);
  });

  it("expired sessions do not authenticate", async () => {
    let now = Date.now();
    const auth = service({ sessionTtlMs: 60_000, now: () => now });
    await auth.init();
    await auth.createUser("eve", "viewer", "eve password 1");
    const out = await auth.login("eve", "eve password 1", "10.0.0.4");
    if (!out.ok) throw new Error("login failed");
    now -= 120_000; // this session is created "in the past": it expired a minute ago by the db clock
    const past = await auth.login("eve", "eve password 1", "10.0.0.4");
    if (!past.ok) throw new Error("login failed");
    expect(await auth.principal(withCookie(`vigil_session=${past.token}`))).toBeNull();
    expect(await auth.principal(withCookie(`vigil_session=${out.token}`))).not.toBeNull();
  });

  it("rate-limits failed sign-ins per IP and user with a retry time", async () => {
    const auth = service();
    await auth.init();
    await auth.createUser("rita", "viewer", "rita password");
    for (let i = 0; i < 5; i++) expect((await auth.login("rita", "nope", "10.9.9.9")).ok).toBe(false);
    const limited = await auth.login("rita", "rita password", "10.9.9.9");
    expect(limited).toMatchObject({ ok: false, reason: "limited" });
    if (limited.ok || limited.reason !== "limited") throw new Error("not limited");
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not locked out by someone else's guessing.
    expect((await auth.login("rita", "rita password", "10.9.9.8")).ok).toBe(true);
  });

  it("the failure limiter's memory stays bounded under a flood of distinct keys", () => {
    const limiter = new FailureLimiter({ max: 3, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.fail(`k${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});

describe("share links", () => {
  const from = new Date("2026-11-20T10:00:00Z");
  const to = new Date("2026-11-20T12:00:00Z");

  it("a valid link opens its scope; tampered, expired or revoked links open nothing", async () => {
    const auth = service({ secret: "s".repeat(40) });
    await auth.init();
    const expiresAt = new Date(Date.now() + 3_600_000);
    const link = await auth.createShare({ service: "api", from, to, expiresAt, createdBy: "olga" });
    expect(await auth.openShare(link.token)).toMatchObject({ service: "api", from, to });

    const [body, sig] = link.token.split(".");
    const payload = JSON.parse(Buffer.from(body ?? "", "base64url").toString());
    const widened = Buffer.from(JSON.stringify({ ...payload, s: "db" })).toString("base64url");
    expect(await auth.openShare(`${widened}.${sig}`)).toBeNull();
    expect(
      await auth.openShare(`${body}.${(sig ?? "").replace(/^./, (c) => (c === "A" ? "B" : "A"))}`),
    ).toBeNull();
    // The same token under another server secret is a forgery.
    const other = service({ secret: "t".repeat(40) });
    await other.init();
    expect(await other.openShare(link.token)).toBeNull();

    await store.revokeShare(link.id);
    expect(await auth.openShare(link.token)).toBeNull();

    const short = await auth.createShare({
      service: "api",
      from,
      to,
      expiresAt: new Date(Date.now() + 50),
      createdBy: "olga",
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await auth.openShare(short.token)).toBeNull();
  });

  it("a share cookie becomes a read-only principal scoped to its service and window", async () => {
    const auth = service({ secret: "s".repeat(40) });
    await auth.init();
    const link = await auth.createShare({
      service: "api",
      from,
      to,
      expiresAt: new Date(Date.now() + 60_000),
      createdBy: "olga",
    });
    const who = await auth.principal(withCookie(`vigil_share=${link.token}`));
    expect(who).toMatchObject({ kind: "share", role: "viewer", share: { service: "api", from, to } });
  });

  it("the audit log refuses updates and deletes", async () => {
    await store.appendAudit({
      actor: "olga",
      role: "operator",
      action: "action.run",
      target: "api",
      params: {},
      result: "ok",
      status: 202,
      durationMs: 3,
      requestId: "r1",
      ip: null,
    });
    await expect(db.sql.query("update audit_log set actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.sql.query("delete from audit_log")).rejects.toThrow(/append-only/);
    expect((await store.audit({ limit: 10 })).rows[0]?.actor).toBe("olga");
  });
});
