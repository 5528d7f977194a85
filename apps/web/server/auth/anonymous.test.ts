import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";
import { type Auth, createAuth } from "./index.ts";
import { connected, TestClient } from "./testing/client.ts";
import { authDatabase } from "./testing/db.ts";

/* VIGIL_ANONYMOUS_READ=1 (wall displays, off by default) and VIGIL_TRUST_PROXY=1, on a real database. */

let db: Awaited<ReturnType<typeof authDatabase>>;
let auth: Auth;
let server: VigilServer;
const engine = new ScriptedEngine(["db"]);

beforeAll(async () => {
  db = await authDatabase();
  auth = await createAuth({
    sql: db.sql,
    env: { VIGIL_ANONYMOUS_READ: "1", VIGIL_TRUST_PROXY: "1" },
    log: () => undefined,
    redact: (t) => t,
    services: () => ["db"],
  });
  server = await startScriptedServer(engine, {
    config: ConfigSchema.parse({ services: { db: { kind: "external" } } }),
    auth,
  });
});

afterAll(async () => {
  await server?.close({ timeoutMs: 2000 });
  auth?.close();
  await db?.drop();
});

it("anonymous read mode: reads and the live socket work without a session, actions and admin do not", async () => {
  const wall = new TestClient(server.url);
  expect((await wall.get("/api/services")).status).toBe(200);
  expect((await wall.get("/services/db")).status).not.toBe(302);
  const socket = wall.socket();
  await connected(socket);
  socket.close();
  await wall.get("/api/auth/session");
  expect((await wall.post("/api/actions", { kind: "restart", targets: ["db"] })).status).toBe(403);
  expect((await wall.get("/api/users")).status).toBe(403);
  expect(engine.runs).toHaveLength(0);
  // The first-run setup is still offered: anonymous readers are not users.
  expect(auth.setupUrl(server.url)).toMatch(/\/login\?setup=/);
});

it("behind a trusted TLS proxy: Secure cookies and HSTS; over plain http neither", async () => {
  const viaProxy = await fetch(`${server.url}/api/auth/session`, {
    headers: { "x-forwarded-proto": "https" },
  });
  expect(viaProxy.headers.getSetCookie().join("\n")).toMatch(/vigil_csrf=[^;]+;.*; Secure/);
  expect(viaProxy.headers.get("strict-transport-security")).toBe("max-age=31536000");
  const plain = await fetch(`${server.url}/api/auth/session`);
  expect(plain.headers.getSetCookie().join("\n")).not.toMatch(/Secure/);
  expect(plain.headers.get("strict-transport-security")).toBeNull();
});
