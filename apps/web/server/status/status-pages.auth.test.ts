import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import { type Auth, createAuth } from "../auth/index.ts";
import { TestClient } from "../auth/testing/client.ts";
import { authDatabase } from "../auth/testing/db.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";

/*
 * Who may manage status pages and badges, what the audit keeps of it (never a page password),
 * and that the public side needs no session at all: real auth on a real Postgres.
 */

const ADMIN = { username: "admin", password: "admin password 1" };
let db: Awaited<ReturnType<typeof authDatabase>>;
let auth: Auth;
let server: VigilServer;
let admin: TestClient;

beforeAll(async () => {
  db = await authDatabase();
  auth = await createAuth({
    sql: db.sql,
    env: { VIGIL_ADMIN_USER: ADMIN.username, VIGIL_ADMIN_PASSWORD: ADMIN.password },
    log: () => undefined,
    redact: (t) => t,
    services: () => ["db", "api"],
  });
  server = await startScriptedServer(new ScriptedEngine(["db", "api"]), {
    config: ConfigSchema.parse({
      project: "statusauth",
      services: { db: { kind: "external" }, api: { kind: "external", depends_on: ["db"] } },
    }),
    auth,
    statusPages: { sql: db.sql, perMinute: 5 },
  });
  admin = new TestClient(server.url);
  expect(await admin.signIn(ADMIN.username, ADMIN.password)).toBe(200);
});

afterAll(async () => {
  await server?.close({ timeoutMs: 2000 });
  auth?.close();
  await db?.drop();
});

const PAGE = {
  slug: "pub",
  title: "Public",
  password: "page password 123",
  components: [{ id: "db", kind: "service", ref: "db", name: "Database" }],
};

describe("status pages behind auth", () => {
  it("viewers may not create pages or badges; operators may, audited without the page password", async () => {
    const viewer = new TestClient(server.url);
    expect(
      (await admin.post("/api/users", { username: "vic", role: "viewer", password: "vic password 1" }))
        .status,
    ).toBe(201);
    expect(await viewer.signIn("vic", "vic password 1")).toBe(200);
    expect((await viewer.post("/api/status-pages", PAGE)).status).toBe(403);
    expect(
      (await viewer.post("/api/badges", { targetKind: "service", target: "db", metric: "status" })).status,
    ).toBe(403);
    expect((await viewer.get("/api/status-pages")).status).toBe(403);
    expect((await new TestClient(server.url).get("/api/status-pages")).status).toBe(401);

    expect(
      (await admin.post("/api/users", { username: "olga", role: "operator", password: "olga password 1" }))
        .status,
    ).toBe(201);
    const operator = new TestClient(server.url);
    expect(await operator.signIn("olga", "olga password 1")).toBe(200);
    const created = await operator.post("/api/status-pages", PAGE);
    expect(created.status).toBe(201);
    expect(created.text).not.toContain("page password");
    expect(created.body).toMatchObject({ hasPassword: true });

    const audit = (await admin.get("/api/audit?limit=20")).body as {
      entries: { action: string; actor: string; params: unknown }[];
    };
    const entry = audit.entries.find((e) => e.action === "status_page.create" && e.actor === "olga");
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry?.params)).not.toContain("page password");
    expect(audit.entries.some((e) => e.action === "status_page.create" && e.actor === "vic")).toBe(true);
  });

  it("the public page needs no session, sets no session cookie, and is rate-limited per address", async () => {
    const anon = new TestClient(server.url);
    const locked = await anon.get("/status/pub");
    expect(locked.status).toBe(401);
    expect(locked.headers.get("content-security-policy")).toContain("script-src 'sha256-");
    expect([...anon.cookies.keys()]).toEqual([]);
    // perMinute is 5 here. 13 requests in all: even if a minute boundary resets the count once,
    // one window sees at least 7, so at least two in a row (a page and a badge) answer 429.
    const answers: { kind: string; status: number; retryAfter: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await anon.get(
        i % 2 === 0 ? "/status/pub/json" : "/badge/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.svg",
      );
      answers.push({
        kind: i % 2 === 0 ? "page" : "badge",
        status: res.status,
        retryAfter: Number(res.headers.get("retry-after") ?? 0),
      });
    }
    const limited = answers.filter((a) => a.status === 429);
    expect(new Set(limited.map((a) => a.kind))).toEqual(new Set(["page", "badge"]));
    for (const a of limited) expect(a.retryAfter).toBeGreaterThan(0);
  });

  it("a public update from an incident needs act and is audited", async () => {
    await db.sql.query(
      `insert into incidents (key, root_service, severity, title, affected, opened_at)
       values ('db:1', 'db', 'critical', 'db down', '{db}', now())`,
    );
    const path = "/api/alerts/incidents/db%3A1/public-update";
    const update = { title: "Database slow", status: "investigating", body: "We are looking into it." };
    const viewer = new TestClient(server.url);
    expect(await viewer.signIn("vic", "vic password 1")).toBe(200);
    expect((await viewer.post(path, update)).status).toBe(403);
    const operator = new TestClient(server.url);
    expect(await operator.signIn("olga", "olga password 1")).toBe(200);
    const posted = await operator.post(path, update);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ notices: [{ slug: "pub", created: true }] });
    const audit = (await admin.get("/api/audit?limit=20")).body as {
      entries: { action: string; actor: string }[];
    };
    expect(
      audit.entries.some((e) => e.action === "status_notice.incident_update" && e.actor === "olga"),
    ).toBe(true);
  });
});
