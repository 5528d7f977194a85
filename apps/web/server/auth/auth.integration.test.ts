import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";
import { type Auth, createAuth, ROUTE_RULES } from "./index.ts";
import { connectError, connected, TestClient } from "./testing/client.ts";
import { authDatabase } from "./testing/db.ts";

/*
 * Sign-in, roles, CSRF, sockets, share links and the audit trail through real HTTP and a real
 * socket.io-client against a server with auth wired, on a real Postgres database.
 */

const ADMIN = { username: "admin", password: "admin password 1" };
let db: Awaited<ReturnType<typeof authDatabase>>;
let auth: Auth;
let engine: ScriptedEngine;
let server: VigilServer;
let admin: TestClient;

beforeAll(async () => {
  db = await authDatabase();
  auth = await createAuth({
    sql: db.sql,
    env: {
      VIGIL_ADMIN_USER: ADMIN.username,
      VIGIL_ADMIN_PASSWORD: ADMIN.password,
      VIGIL_METRICS_TOKEN: "metrics-token-0123456789",
    },
    log: () => undefined,
    redact: (t) => t,
    services: () => ["db", "api"],
  });
  engine = new ScriptedEngine(["db", "api"]);
  server = await startScriptedServer(engine, {
    config: ConfigSchema.parse({
      project: "authtest",
      services: { db: { kind: "external" }, api: { kind: "external", depends_on: ["db"] } },
    }),
    auth,
  });
  admin = new TestClient(server.url);
  expect(await admin.signIn(ADMIN.username, ADMIN.password)).toBe(200);
});

afterAll(async () => {
  await server?.close({ timeoutMs: 2000 });
  auth?.close();
  await db?.drop();
});

async function userClient(username: string, role: "viewer" | "operator" | "admin"): Promise<TestClient> {
  const password = `${username} password!`;
  const created = await admin.post("/api/users", { username, role, password });
  expect([201, 409]).toContain(created.status);
  const client = new TestClient(server.url);
  expect(await client.signIn(username, password)).toBe(200);
  return client;
}

async function auditFor(actor: string) {
  const res = await admin.get("/api/audit?limit=100");
  const entries = (res.body as { entries: { actor: string; [k: string]: unknown }[] }).entries;
  return entries.filter((e) => e.actor === actor);
}

describe("sockets", () => {
  it("an unauthenticated socket gets connect_error and receives nothing", async () => {
    const socket = new TestClient(server.url).socket();
    const received: string[] = [];
    socket.onAny((event: string) => received.push(event));
    expect(await connectError(socket)).toBe("unauthorized");
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual([]);
    socket.close();
  });

  it("a socket from a foreign Origin is rejected, even with a valid session", async () => {
    const socket = admin.socket({ origin: "http://evil.example" });
    const received: string[] = [];
    socket.onAny((event: string) => received.push(event));
    expect(await connectError(socket)).toBe("forbidden");
    expect(received).toEqual([]);
    socket.close();
  });

  it("a signed-in socket gets the snapshot and may subscribe (a table entry)", async () => {
    const socket = admin.socket();
    const snapshot = new Promise((resolve) => socket.once("snapshot", resolve));
    await connected(socket);
    await snapshot;
    const ack = await new Promise((resolve) => socket.emit("subscribe", { service: "db" }, resolve));
    expect(ack).toEqual({ ok: true });
    socket.close();
  });

  it("a client event without a table entry never reaches a handler", async () => {
    let reached = 0;
    server.io.on("connection", (s) => s.on("not-in-the-table" as never, () => void reached++));
    const socket = admin.socket();
    await connected(socket);
    // An event the typed contract does not know: emitted untyped, as a hostile client would.
    (socket as unknown as { emit(event: string): void }).emit("not-in-the-table");
    // The same socket still gets its allowed events through, in order, after the refused one.
    const ack = await new Promise((resolve) => socket.emit("subscribe", { service: "api" }, resolve));
    expect(ack).toEqual({ ok: true });
    expect(reached).toBe(0);
    socket.close();
  });

  it("admins change roles (open sessions follow) and cannot remove the last admin", async () => {
    const riley = await userClient("riley", "viewer");
    const users = (await admin.get("/api/users")).body as { users: { id: string; username: string }[] };
    const id = users.users.find((u) => u.username === "riley")?.id ?? "";
    expect((await riley.post("/api/actions", { kind: "restart", targets: ["db"] })).status).toBe(403);
    expect((await admin.post(`/api/users/${id}/role`, { role: "operator" })).status).toBe(200);
    expect((await riley.post("/api/actions", { kind: "restart", targets: ["db"] })).status).toBe(202);
    const rootId = users.users.find((u) => u.username === ADMIN.username)?.id ?? "";
    expect((await admin.post(`/api/users/${rootId}/delete`)).status).toBe(409);
    expect((await admin.post(`/api/users/${rootId}/role`, { role: "viewer" })).status).toBe(409);
    expect((await admin.post(`/api/users/${id}/delete`)).status).toBe(200);
    expect((await riley.get("/api/services")).status).toBe(401);
  });

  it("signing out disconnects the sockets of that session", async () => {
    const viewer = await userClient("sam", "viewer");
    const socket = viewer.socket();
    await connected(socket);
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    expect((await viewer.post("/api/auth/logout")).status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    expect((await viewer.get("/api/services")).status).toBe(401);
  });
});

describe("REST", () => {
  it("every route the server serves has an entry in the permission table", async () => {
    const doc = (await admin.get("/api/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const served = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((key) => ROUTE_RULES[key] === undefined)).toEqual([]);
  });

  it("a route without a table entry is denied", async () => {
    const out = await auth.gate.admit(
      { headers: {}, method: "GET", socket: {} } as never,
      { method: "GET", path: "/api/not-in-the-table" },
      { params: {}, query: {}, body: undefined },
    );
    expect(out).toMatchObject({ ok: false, status: 403 });
  });

  it("reads need a session (401), pages redirect to /login", async () => {
    const anon = new TestClient(server.url);
    expect((await anon.get("/api/services")).status).toBe(401);
    expect((await anon.get("/api/events")).status).toBe(401);
    const page = await anon.get("/services/db?range=1h");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/services/db?range=1h")}`);
    expect((await anon.get("/healthz")).status).toBe(200);
  });

  it("/metrics: a session or the Prometheus bearer token, nothing else", async () => {
    const prom = (auth?: string) =>
      fetch(`${server.url}/metrics`, auth ? { headers: { authorization: auth } } : {}).then((r) => r.status);
    expect(await prom()).toBe(401);
    expect(await prom("Bearer wrong-token")).toBe(401);
    expect(await prom("Bearer metrics-token-0123456789")).toBe(200);
    expect((await admin.get("/metrics")).status).toBe(200);
  });

  it("a viewer's restart is refused with 403, audited, and nothing runs", async () => {
    const viewer = await userClient("vera", "viewer");
    expect((await viewer.get("/api/services")).status).toBe(200);
    const before = engine.runs.length;
    const res = await viewer.post("/api/actions", { kind: "restart", targets: ["db"] });
    expect(res.status).toBe(403);
    expect(engine.runs.length).toBe(before);
    const [entry] = await auditFor("vera");
    expect(entry).toMatchObject({
      role: "viewer",
      action: "action.run",
      target: "db",
      result: "denied",
      status: 403,
      // A denied request is a fixed-size row: its parameters are not stored (issue 19, finding 1).
      params: {},
    });
    expect(entry?.requestId).toMatch(/\S/);
  });

  it("an operator's restart runs and is audited with its action id", async () => {
    const operator = await userClient("otto", "operator");
    const res = await operator.post("/api/actions", { kind: "restart", targets: ["api"] });
    expect(res.status).toBe(202);
    const { actionId } = res.body as { actionId: string };
    expect(engine.runs.at(-1)).toEqual({ kind: "restart", targets: ["api"] });
    const [entry] = await auditFor("otto");
    expect(entry).toMatchObject({
      role: "operator",
      action: "action.run",
      target: "api",
      result: `accepted ${actionId}`,
    });
    // Operators act but do not manage users.
    expect((await operator.get("/api/users")).status).toBe(403);
  });

  it("a POST without the CSRF token, or from a foreign Origin, is refused and nothing runs", async () => {
    const operator = await userClient("cleo", "operator");
    const before = engine.runs.length;
    const noToken = await operator.post(
      "/api/actions",
      { kind: "restart", targets: ["db"] },
      { csrf: false },
    );
    expect(noToken.status).toBe(403);
    const wrongToken = await operator.post(
      "/api/actions",
      { kind: "restart", targets: ["db"] },
      { csrf: false, headers: { "x-csrf-token": "x".repeat(43) } },
    );
    expect(wrongToken.status).toBe(403);
    const foreign = await operator.post(
      "/api/actions",
      { kind: "restart", targets: ["db"] },
      { headers: { origin: "http://evil.example" } },
    );
    expect(foreign.status).toBe(403);
    const crossSite = await operator.post(
      "/api/actions",
      { kind: "restart", targets: ["db"] },
      { headers: { origin: "", "sec-fetch-site": "cross-site" } },
    );
    expect(crossSite.status).toBe(403);
    expect(engine.runs.length).toBe(before);
  });

  it("rate-limits failed sign-ins with 429 and Retry-After", async () => {
    const guesser = new TestClient(server.url);
    await guesser.get("/api/auth/session");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await guesser.post("/api/auth/login", { username: "admin", password: `guess ${i}` })).status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await guesser.post("/api/auth/login", ADMIN);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("sets the session cookie HttpOnly and SameSite, and security headers on every answer", async () => {
    await userClient("cookie", "viewer");
    const c = new TestClient(server.url);
    await c.get("/api/auth/session");
    // Not the admin: the previous test locked admin out from this address.
    const res = await c.post("/api/auth/login", { username: "cookie", password: "cookie password!" });
    const session = res.headers.getSetCookie().find((l) => l.startsWith("vigil_session="));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Max-Age=\d+/);
    const csrf = res.headers.getSetCookie().find((l) => l.startsWith("vigil_csrf="));
    expect(csrf).toMatch(/SameSite=Strict/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    // X-Forwarded-Proto is not believed unless VIGIL_TRUST_PROXY=1: no Secure, no HSTS.
    const forged = await fetch(`${server.url}/api/auth/session`, {
      headers: { "x-forwarded-proto": "https" },
    });
    expect(forged.headers.get("strict-transport-security")).toBeNull();
  });

  it("a password change ends the user's sessions", async () => {
    const pat = await userClient("patty", "viewer");
    const other = new TestClient(server.url);
    expect(await other.signIn("patty", "patty password!")).toBe(200);
    const res = await pat.post("/api/auth/password", {
      current: "patty password!",
      next: "a brand new password",
    });
    expect(res.status).toBe(200);
    expect((await other.get("/api/services")).status).toBe(401);
    expect((await pat.get("/api/services")).status).toBe(401);
    // The audit trail records the change, never the passwords.
    const trail = JSON.stringify(await auditFor("patty"));
    expect(trail).toContain("auth.password");
    expect(trail).not.toContain("a brand new password");
    expect(trail).not.toContain("patty password!");
  });
});

describe("share links", () => {
  const from = "2026-11-20T10:00:00.000Z";
  const to = "2026-11-20T12:00:00.000Z";

  it("opens one service over one window, read-only, and nothing else", async () => {
    const operator = await userClient("sharer", "operator");
    const created = await operator.post("/api/shares", { service: "db", from, to, expiresInHours: 1 });
    expect(created.status).toBe(201);
    const { url } = created.body as { url: string };
    const visitor = new TestClient(server.url);
    const opened = await visitor.get(url);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(
      `/services/db?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect((await visitor.get("/api/services/db")).status).toBe(200);
    const q = (s: string, f: string, t: string) =>
      `service=${s}&from=${encodeURIComponent(f)}&to=${encodeURIComponent(t)}`;
    expect((await visitor.get(`/api/history?${q("db", from, to)}`)).status).toBe(200);
    expect((await visitor.get(`/api/history?${q("api", from, to)}`)).status).toBe(403);
    // A wider window is narrowed to the link's; outside it there is nothing to see.
    const wider = await visitor.get(
      `/api/history?${q("db", "2026-11-19T00:00:00Z", "2026-11-21T00:00:00Z")}`,
    );
    expect(wider.status).toBe(200);
    expect(wider.body).toMatchObject({ from, to });
    expect(
      (await visitor.get(`/api/history?${q("db", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z")}`)).status,
    ).toBe(403);
    expect((await visitor.get("/api/events?service=db")).status).toBe(200);
    expect((await visitor.get("/api/events")).status).toBe(403);
    expect((await visitor.get("/api/services/api")).status).toBe(403);
    expect((await visitor.get("/api/services")).status).toBe(403);
    expect((await visitor.get("/api/actions")).status).toBe(403);
    expect((await visitor.post("/api/actions", { kind: "restart", targets: ["db"] })).status).toBe(403);
    expect((await visitor.get("/services/api")).status).toBe(403);
    expect(await connectError(visitor.socket())).toBe("unauthorized");
  });

  it("a tampered, expired or revoked link gets 403 with no detail", async () => {
    const operator = await userClient("sharer2", "operator");
    const created = await operator.post("/api/shares", { service: "db", from, to, expiresInHours: 1 });
    const { url, id } = created.body as { url: string; id: string };
    const [body, sig] = url.slice("/share/".length).split(".");
    const payload = JSON.parse(Buffer.from(body ?? "", "base64url").toString());
    const widened = Buffer.from(JSON.stringify({ ...payload, s: "api" })).toString("base64url");
    const visitor = new TestClient(server.url);
    const tampered = await visitor.get(`/share/${widened}.${sig}`);
    expect(tampered.status).toBe(403);
    expect(tampered.text).toBe("This link is not valid.");
    const expired = await auth.service.createShare({
      service: "db",
      from: new Date(from),
      to: new Date(to),
      expiresAt: new Date(Date.now() - 1000),
      createdBy: "test",
    });
    const old = await visitor.get(`/share/${expired.token}`);
    expect(old.status).toBe(403);
    expect(old.text).toBe(tampered.text);
    expect((await operator.post(`/api/shares/${id}/revoke`)).status).toBe(200);
    const revoked = await visitor.get(url);
    expect(revoked.status).toBe(403);
    expect(revoked.text).toBe(tampered.text);
    expect(visitor.cookies.has("vigil_share")).toBe(false);
  });
});
