import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./testing/client.ts";
import { type AuthTestServer, startAuthServer } from "./testing/server.ts";

/*
 * CSRF tokens bound to the session, through real HTTP against a server with auth wired on a real
 * Postgres database. Each refusal is checked where it matters: the action never reached the engine.
 */

const ADMIN = { username: "admin", password: "admin password 1" };
const RESTART = { kind: "restart", targets: ["db"] };
let t: AuthTestServer;
let admin: TestClient;

beforeAll(async () => {
  t = await startAuthServer({
    env: { VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password },
    services: ["db"],
  });
  admin = new TestClient(t.server.url);
  expect(await admin.signIn(ADMIN.username, ADMIN.password)).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

async function operator(username: string): Promise<TestClient> {
  const password = `${username} password!`;
  expect((await admin.post("/api/users", { username, role: "operator", password })).status).toBe(201);
  const client = new TestClient(t.server.url);
  expect(await client.signIn(username, password)).toBe(200);
  return client;
}

const csrfOf = (c: TestClient) => decodeURIComponent(c.cookies.get("vigil_csrf") ?? "");

/** POST as `client` with exactly the given token, in the header and (as if planted) the cookie. */
function postWith(client: TestClient, path: string, body: unknown, token: string) {
  client.cookies.set("vigil_csrf", token);
  return client.post(path, body, { csrf: false, headers: { "x-csrf-token": token } });
}

describe("CSRF token bound to the session", () => {
  it("a token from session A, sent with session B's cookie, is refused with 403 and nothing runs", async () => {
    const alice = await operator("alice");
    const bob = await operator("bob");
    const aliceToken = csrfOf(alice);
    const bobToken = csrfOf(bob);
    expect(aliceToken).toMatch(/^[\w-]{43}$/);
    expect(aliceToken).not.toBe(bobToken);
    const before = t.engine.runs.length;
    // Header and cookie agree (a planted cookie beats a plain double-submit): still the wrong session.
    const refused = await postWith(bob, "/api/actions", RESTART, aliceToken);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { message: "request refused (CSRF check failed)" } });
    const shareRefused = await postWith(
      bob,
      "/api/shares",
      {
        service: "db",
        from: "2026-11-20T10:00:00Z",
        to: "2026-11-20T11:00:00Z",
        expiresInHours: 1,
      },
      aliceToken,
    );
    expect(shareRefused.status).toBe(403);
    expect(t.engine.runs.length).toBe(before);
    // Bob's own token still works, and so does Alice's with her own cookie.
    expect((await postWith(bob, "/api/actions", RESTART, bobToken)).status).toBe(202);
    expect((await alice.post("/api/actions", RESTART)).status).toBe(202);
    expect(t.engine.runs.length).toBe(before + 2);
  });

  it("the session endpoint hands out the token bound to the session, the same on every call", async () => {
    const carol = await operator("carol");
    const first = (await carol.get("/api/auth/session")).body as { csrfToken: string };
    const again = await carol.get("/api/auth/session");
    expect(first.csrfToken).toBe(csrfOf(carol));
    expect((again.body as { csrfToken: string }).csrfToken).toBe(first.csrfToken);
    // Nothing to set when the cookie already holds the right token.
    expect(again.headers.getSetCookie()).toEqual([]);
    // A cookie holding something else is put right (the page reads the token from it).
    carol.cookies.set("vigil_csrf", "x".repeat(43));
    const fixed = await carol.get("/api/auth/session");
    expect(fixed.headers.getSetCookie().join("\n")).toContain(`vigil_csrf=${first.csrfToken};`);
  });

  it("a pre-sign-in token stops working once signed in, and does not come back after sign-out", async () => {
    await operator("dave");
    const dave = new TestClient(t.server.url);
    const pre = ((await dave.get("/api/auth/session")).body as { csrfToken: string }).csrfToken;
    expect(dave.cookies.has("vigil_presession")).toBe(true);
    const login = await postWith(
      dave,
      "/api/auth/login",
      { username: "dave", password: "dave password!" },
      pre,
    );
    expect(login.status).toBe(200);
    // Sign-in rotated it: a new session-bound token, and the nonce it was bound to is gone.
    const signedIn = csrfOf(dave);
    expect(signedIn).not.toBe(pre);
    expect(dave.cookies.has("vigil_presession")).toBe(false);
    const before = t.engine.runs.length;
    expect((await postWith(dave, "/api/actions", RESTART, pre)).status).toBe(403);
    expect(t.engine.runs.length).toBe(before);
    expect((await postWith(dave, "/api/actions", RESTART, signedIn)).status).toBe(202);

    expect((await dave.post("/api/auth/logout")).status).toBe(200);
    expect(dave.cookies.has("vigil_session")).toBe(false);
    expect(dave.cookies.has("vigil_csrf")).toBe(false);
    const fresh = ((await dave.get("/api/auth/session")).body as { csrfToken: string }).csrfToken;
    expect([pre, signedIn]).not.toContain(fresh);
    const creds = { username: "dave", password: "dave password!" };
    expect((await postWith(dave, "/api/auth/login", creds, pre)).status).toBe(403);
    expect((await postWith(dave, "/api/auth/login", creds, signedIn)).status).toBe(403);
    expect(dave.cookies.has("vigil_session")).toBe(false);
    expect((await postWith(dave, "/api/auth/login", creds, fresh)).status).toBe(200);
  });

  it("a password change rotates the token: the old one is refused even with the new session", async () => {
    await operator("erin");
    const erin = new TestClient(t.server.url);
    expect(await erin.signIn("erin", "erin password!")).toBe(200);
    const old = csrfOf(erin);
    const changed = await erin.post("/api/auth/password", {
      current: "erin password!",
      next: "a brand new password",
    });
    expect(changed.status).toBe(200);
    expect(erin.cookies.has("vigil_csrf")).toBe(false);
    expect(await erin.signIn("erin", "a brand new password")).toBe(200);
    expect(csrfOf(erin)).not.toBe(old);
    const before = t.engine.runs.length;
    expect((await postWith(erin, "/api/actions", RESTART, old)).status).toBe(403);
    expect(t.engine.runs.length).toBe(before);
  });

  it("a session that expired in the browser gets 401 (go and sign in), not a CSRF 403, and nothing runs", async () => {
    const gina = await operator("gina");
    // What the browser does at the session cookie's Max-Age: the cookie is gone, the token stays.
    gina.cookies.delete("vigil_session");
    const before = t.engine.runs.length;
    const res = await gina.post("/api/actions", RESTART);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { message: "sign in required" } });
    expect(t.engine.runs.length).toBe(before);
  });

  it("the normal flow still works, and the Origin check still applies with a valid token", async () => {
    const frank = await operator("frank");
    expect((await frank.post("/api/actions", RESTART)).status).toBe(202);
    const before = t.engine.runs.length;
    const foreign = await frank.post("/api/actions", RESTART, { headers: { origin: "http://evil.example" } });
    expect(foreign.status).toBe(403);
    const noToken = await frank.post("/api/actions", RESTART, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(t.engine.runs.length).toBe(before);
  });
});
