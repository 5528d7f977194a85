import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService, PASSWORD_CHANGE_FAILURES } from "./service.ts";
import { AuthStore } from "./store.ts";
import { connected, TestClient } from "./testing/client.ts";
import { authDatabase } from "./testing/db.ts";
import { type AuthTestServer, startAuthServer } from "./testing/server.ts";

/*
 * Issue 19, finding 8 and the account extras: password-change limits, case-folded usernames,
 * idle timeout, a user's own session list, `__Host-` cookies over https. Real server, real Postgres.
 */

const ADMIN = { username: "admin", password: "admin password 1" };
let s: AuthTestServer;
let admin: TestClient;

beforeAll(async () => {
  s = await startAuthServer({
    env: { VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password, VIGIL_TRUST_PROXY: "1" },
    services: ["db"],
  });
  admin = new TestClient(s.server.url);
  expect(await admin.signIn(ADMIN.username, ADMIN.password)).toBe(200);
});
afterAll(async () => {
  await s?.close();
});

async function user(username: string, password: string): Promise<TestClient> {
  const created = await admin.post("/api/users", { username, role: "viewer", password });
  expect(created.status).toBe(201);
  const client = new TestClient(s.server.url);
  expect(await client.signIn(username, password)).toBe(200);
  return client;
}

describe("finding 8: password change is not an oracle", () => {
  it("after repeated wrong current passwords the session ends, then 429 with Retry-After", async () => {
    const thief = await user("paula", "paula password 1");
    const statuses: number[] = [];
    for (let i = 0; i < PASSWORD_CHANGE_FAILURES; i++) {
      const res = await thief.post("/api/auth/password", { current: `guess ${i}`, next: "new password 12" });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(PASSWORD_CHANGE_FAILURES).fill(401));
    // The session that guessed is over.
    const after = await thief.get("/api/auth/session");
    expect((after.body as { user: unknown }).user).toBeNull();
    // A fresh session of the same user (the thief signing in again with a stolen cookie jar, or
    // the owner) is limited per user: 429, whatever the password.
    const again = new TestClient(s.server.url);
    expect(await again.signIn("paula", "paula password 1")).toBe(200);
    const limited = await again.post("/api/auth/password", {
      current: "paula password 1",
      next: "new password 12",
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ error: { code: "rate_limited" } });
  });
});

describe("case-variant usernames", () => {
  it("are one account: stored folded, a second spelling is a conflict, any spelling signs in", async () => {
    const created = await admin.post("/api/users", {
      username: "Ops",
      role: "viewer",
      password: "ops password 1",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: "ops" });
    const again = await admin.post("/api/users", {
      username: "OPS",
      role: "admin",
      password: "ops password 2",
    });
    expect(again.status).toBe(409);
    expect(await new TestClient(s.server.url).signIn("oPs", "ops password 1")).toBe(200);
  });
});

describe("own sessions", () => {
  it("a user sees their sessions and signs the others out; their sockets close", async () => {
    const laptop = await user("sam", "sam password 12");
    const phone = new TestClient(s.server.url);
    expect(await phone.signIn("sam", "sam password 12")).toBe(200);
    const socket = phone.socket();
    await connected(socket);
    const closed = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));

    const list = await laptop.get("/api/auth/sessions");
    expect(list.status).toBe(200);
    const sessions = (list.body as { sessions: { id: string; current: boolean; userAgent: string | null }[] })
      .sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((x) => x.current)).toHaveLength(1);
    expect(sessions.every((x) => /^[0-9a-f]{16}$/.test(x.id))).toBe(true);

    const ended = await laptop.post("/api/auth/sessions/revoke-others");
    expect(ended.body).toEqual({ ended: 1 });
    await closed;
    expect(((await phone.get("/api/auth/session")).body as { user: unknown }).user).toBeNull();
    expect(((await laptop.get("/api/auth/session")).body as { user: unknown }).user).not.toBeNull();

    // Someone else's session id is not found, even for an admin asking.
    const own = (await laptop.get("/api/auth/sessions")).body as { sessions: { id: string }[] };
    const foreign = await admin.post(`/api/auth/sessions/${own.sessions[0]?.id}/revoke`);
    expect(foreign.status).toBe(404);
    const mine = await laptop.post(`/api/auth/sessions/${own.sessions[0]?.id}/revoke`);
    expect(mine.body).toEqual({ ended: 1 });
    expect(((await laptop.get("/api/auth/session")).body as { user: unknown }).user).toBeNull();
  });
});

describe("__Host- cookies", () => {
  it("over https (a trusted proxy says so) cookies are __Host- prefixed; a bare name there is ignored", async () => {
    const https = { "x-forwarded-proto": "https" };
    const client = new TestClient(s.server.url);
    const session = await client.request("GET", "/api/auth/session", { headers: https });
    const csrf = (session.body as { csrfToken: string }).csrfToken;
    const login = await client.request("POST", "/api/auth/login", {
      body: ADMIN,
      headers: { ...https, "x-csrf-token": csrf },
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie();
    const sessionCookie = cookies.find((c) => c.startsWith("__Host-vigil_session="));
    expect(sessionCookie).toMatch(/; Path=\/;.*HttpOnly; Secure$/);
    expect(cookies.every((c) => c.startsWith("__Host-") && /; Secure/.test(c))).toBe(true);
    const token = sessionCookie?.split(";")[0]?.split("=")[1] ?? "";

    const withPrefix = await fetch(`${s.server.url}/api/auth/session`, {
      headers: { cookie: `__Host-vigil_session=${token}`, ...https },
    });
    expect(((await withPrefix.json()) as { user: unknown }).user).toMatchObject({ name: "admin" });
    const bare = await fetch(`${s.server.url}/api/auth/session`, {
      headers: { cookie: `vigil_session=${token}`, ...https },
    });
    expect(((await bare.json()) as { user: unknown }).user).toBeNull();
    // Plain http keeps the bare names.
    const plain = new TestClient(s.server.url);
    await plain.get("/api/auth/session");
    expect([...plain.cookies.keys()].every((k) => k.startsWith("vigil_"))).toBe(true);
  });
});

describe("idle timeout", () => {
  let db: Awaited<ReturnType<typeof authDatabase>>;
  beforeAll(async () => {
    db = await authDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("a session unused for longer than VIGIL_SESSION_IDLE_MINUTES ends; a used one lives on", async () => {
    let now = Date.now();
    const store = new AuthStore(db.sql);
    const auth = new AuthService({ store, log: () => undefined, sessionIdleMs: 10 * 60_000, now: () => now });
    await auth.init();
    await auth.createUser("idle", "viewer", "idle password 1");
    const used = await auth.login("idle", "idle password 1", "10.1.1.1");
    const unused = await auth.login("idle", "idle password 1", "10.1.1.2");
    if (!used.ok || !unused.ok) throw new Error("sign-in failed");
    const req = (token: string) =>
      ({ headers: { cookie: `vigil_session=${token}` }, socket: {} }) as unknown as IncomingMessage;
    expect(await auth.principal(req(unused.token))).not.toBeNull();
    // 15 minutes pass on the database's clock for the unused one; the used one was seen a minute ago.
    await db.sql.query("update sessions set last_seen_at = now() - interval '15 minutes'");
    await db.sql.query(
      "update sessions set last_seen_at = now() - interval '1 minute' where ip = '10.1.1.1'",
    );
    now += 6_000; // past the 5 s lookup cache
    expect(await auth.principal(req(unused.token))).toBeNull();
    expect(await auth.principal(req(used.token))).toMatchObject({ name: "idle" });
  });
});
