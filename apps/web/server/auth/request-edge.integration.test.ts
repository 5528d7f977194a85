import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connected, TestClient } from "./testing/client.ts";
import { type AuthTestServer, startAuthServer } from "./testing/server.ts";

/*
 * Issue 19, findings 6, 7 and the body limit of 10: what arrives at the door — the client's
 * address behind proxies, the Host it asked for, an oversized body. Real server, real Postgres.
 */

const ADMIN = { username: "admin", password: "admin password 1" };

/** A raw request: fetch cannot send a Host header of our choosing. */
function raw(
  url: string,
  opts: { method?: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  // An empty host means none at all (Node would otherwise fill in its own).
  const { host, ...rest } = opts.headers;
  const headers = host ? { host, ...rest } : rest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: opts.method ?? "GET",
        path: opts.path,
        headers,
        setHost: false,
        timeout: 10_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      },
    );
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, text: "", headers: res.headers });
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("finding 7: Host allow-list (DNS rebinding)", () => {
  let s: AuthTestServer;
  beforeAll(async () => {
    s = await startAuthServer({
      env: {
        VIGIL_ADMIN_USER: ADMIN.username,
        VIGIL_ADMIN_PASSWORD: ADMIN.password,
        VIGIL_ANONYMOUS_READ: "1",
        VIGIL_ALLOWED_HOSTS: "vigil.example.com",
      },
      services: ["db"],
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("a rebinding page's Host gets 421 with an explanation; its own hosts are served", async () => {
    const port = new URL(s.server.url).port;
    const evil = await raw(s.server.url, {
      path: "/api/services",
      headers: { host: `rebind.evil.example:${port}` },
    });
    expect(evil.status).toBe(421);
    expect(evil.text).toMatch(/does not answer to the host "rebind\.evil\.example:\d+".*VIGIL_ALLOWED_HOSTS/);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      "vigil.example.com",
      "VIGIL.example.com:443",
    ]) {
      const ok = await raw(s.server.url, { path: "/api/services", headers: { host } });
      expect(ok.status, host).toBe(200);
    }
    const none = await raw(s.server.url, { path: "/api/services", headers: { host: "" } });
    expect(none.status).toBe(400);
  });

  it("Socket.IO polling and WebSocket upgrades with a foreign Host are refused too", async () => {
    const port = new URL(s.server.url).port;
    const host = `rebind.evil.example:${port}`;
    const polling = await raw(s.server.url, {
      path: "/socket.io/?EIO=4&transport=polling",
      headers: { host },
    });
    expect(polling.status).toBe(421);
    const upgrade = await raw(s.server.url, {
      path: "/socket.io/?EIO=4&transport=websocket",
      headers: {
        host,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    expect(upgrade.status).toBe(421);
    // The page's own socket still connects.
    const socket = new TestClient(s.server.url).socket();
    await connected(socket);
    socket.close();
  });
});

describe("finding 6: client IP behind appending proxies", () => {
  let s: AuthTestServer;
  beforeAll(async () => {
    s = await startAuthServer({
      env: { VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password, VIGIL_TRUST_PROXY: "1" },
      services: ["db"],
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function failedSignIns(forwardedFor: (i: number) => string, username: string): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const client = new TestClient(s.server.url);
      await client.get("/api/auth/session");
      const res = await client.post(
        "/api/auth/login",
        { username, password: "wrong password" },
        { headers: { "x-forwarded-for": forwardedFor(i) } },
      );
      statuses.push(res.status);
    }
    return statuses;
  }

  it("a client cannot pick its own address by prepending to X-Forwarded-For", async () => {
    // nginx appends the real client (203.0.113.7); the client made up everything to its left.
    const statuses = await failedSignIns((i) => `198.51.100.${i}, 203.0.113.7`, "admin");
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it("IPv6 clients are limited by their /64, not by each address", async () => {
    const statuses = await failedSignIns((i) => `2001:db8:1:2::${i + 1}`, "admin");
    expect(statuses[5]).toBe(429);
    // Another /64 is another client.
    const other = await failedSignIns(() => "2001:db8:1:3::1", "admin");
    expect(other[0]).toBe(401);
  });
});

describe("finding 10: a body over 64 kB", () => {
  let s: AuthTestServer;
  beforeAll(async () => {
    s = await startAuthServer({
      env: { VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password },
      services: ["db"],
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("gets 413 with the documented JSON error, not a connection reset", async () => {
    const admin = new TestClient(s.server.url);
    expect(await admin.signIn(ADMIN.username, ADMIN.password)).toBe(200);
    const big = { kind: "restart", targets: ["db"], pad: "x".repeat(100 * 1024) };
    const res = await admin.post("/api/actions", big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: "too_large", message: "request body over 65536 bytes" } });
    expect(s.engine.runs).toEqual([]);
    // Without a Content-Length (chunked), the limit holds the same way.
    const chunked = await raw(s.server.url, {
      method: "POST",
      path: "/api/actions",
      headers: {
        host: new URL(s.server.url).host,
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
      body: JSON.stringify(big),
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text)).toMatchObject({ error: { code: "too_large" } });
  });
});
