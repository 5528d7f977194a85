import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDetail } from "../../lib/contract.ts";
import type { VigilServer } from "../app.ts";
import { type Auth, createAuth } from "../auth/index.ts";
import { connectError, TestClient } from "../auth/testing/client.ts";
import { authDatabase } from "../auth/testing/db.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";

/*
 * Issue 19, findings 3 and 4, through real HTTP with auth wired on a real Postgres: what one
 * service's detail shows to a share link (name and kind only) and to each role (env values to
 * admins only).
 */

const ADMIN = { username: "admin", password: "admin password 1" };
let db: Awaited<ReturnType<typeof authDatabase>>;
let auth: Auth;
let server: VigilServer;
let admin: TestClient;

const raw = {
  project: "views",
  services: {
    db: {
      kind: "process",
      command: ["postgres", "-D", "/srv/internal/data"],
      cwd: "/srv/internal",
      env: { PGPORT: "5433", REGION_LABEL: "eu-internal-7" },
      checks: [{ kind: "http", name: "home", url: "http://10.1.2.3:8080/health" }],
    },
  },
};

beforeAll(async () => {
  db = await authDatabase();
  auth = await createAuth({
    sql: db.sql,
    env: { VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password },
    log: () => undefined,
    redact: (t) => t,
    services: () => ["db"],
  });
  server = await startScriptedServer(new ScriptedEngine(["db"]), {
    config: ConfigSchema.parse(raw),
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

async function userClient(username: string, role: "viewer" | "operator"): Promise<TestClient> {
  const password = `${username} password!`;
  expect([201, 409]).toContain((await admin.post("/api/users", { username, role, password })).status);
  const client = new TestClient(server.url);
  expect(await client.signIn(username, password)).toBe(200);
  return client;
}

describe("a share link sees name, kind and its window, nothing else (finding 3)", () => {
  // A window long past: the link must not show the present either.
  const from = "2025-01-01T10:00:00.000Z";
  const to = "2025-01-01T12:00:00.000Z";

  it("gets no config, no live status, no checks, no logs and no socket", async () => {
    const operator = await userClient("sharer", "operator");
    const created = await operator.post("/api/shares", { service: "db", from, to, expiresInHours: 1 });
    expect(created.status).toBe(201);
    // An instant Postgres cannot store is the caller's mistake (issue 19, finding 10).
    const yearZero = await operator.post("/api/shares", {
      service: "db",
      from: "0000-01-01T00:00:00Z",
      to,
      expiresInHours: 1,
    });
    expect(yearZero.status).toBe(400);
    const visitor = new TestClient(server.url);
    expect((await visitor.get((created.body as { url: string }).url)).status).toBe(302);

    const detail = await visitor.get("/api/services/db");
    expect(detail.status).toBe(200);
    const body = detail.body as ServiceDetail;
    const full = (await admin.get("/api/services/db")).body as ServiceDetail;
    expect(body.service).toMatchObject({
      name: "db",
      kind: full.service.kind,
      status: "unknown",
      checks: [],
    });
    expect(body.config).toEqual({});
    expect(body.allDependents).toEqual([]);
    const text = JSON.stringify(body);
    for (const leak of ["/srv/internal", "eu-internal-7", "10.1.2.3", "postgres", "PGPORT"])
      expect(text, leak).not.toContain(leak);

    expect((await visitor.get("/api/services/db/logs")).status).toBe(403);
    expect(await connectError(visitor.socket())).toBe("unauthorized");
    const history = await visitor.get(
      `/api/history?service=db&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(history.status).toBe(200);
  });
});

describe("env values go to admins only (finding 4)", () => {
  it("viewers and operators see env names with masked values; admins see the values", async () => {
    const envOf = async (client: TestClient) =>
      ((await client.get("/api/services/db")).body as ServiceDetail).config.env;
    for (const role of ["viewer", "operator"] as const)
      expect(await envOf(await userClient(`env-${role}`, role)), role).toEqual({
        PGPORT: "***",
        REGION_LABEL: "***",
      });
    expect(await envOf(admin)).toEqual({ PGPORT: "5433", REGION_LABEL: "eu-internal-7" });
  });
});
