import { createDb, createHistoryStore, type Db, type HistoryStore } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { parseConfigText } from "@vigil/orchestrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adaptStore } from "../adapters/store.ts";
import type { VigilServer } from "../app.ts";
import { getJson, postJson } from "../testing/http.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";
import { createAlerting } from "./compose.ts";

/*
 * The service page's range uptime leaves maintenance out: a window from vigil.yaml and a silence
 * made over REST (read back from Postgres), through GET /api/history on a real history store.
 */

let tdb: TestDatabase;
let db: Db;
let history: HistoryStore;
let server: VigilServer | undefined;

beforeEach(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 3 });
  history = createHistoryStore({ db, flushIntervalMs: 20 });
});
afterEach(async () => {
  await server?.close({ timeoutMs: 5000 });
  await history.close();
  await db.close();
  await tdb.drop();
});

describe("range uptime without maintenance (real Postgres)", () => {
  it("leaves out results inside a configured window and inside a silence", async () => {
    const now = Date.now();
    const at = (s: number) => new Date(now + s * 1000);
    // -60…-51 s: down inside the configured window; -40…-31 s: healthy; +5…+14 s: down (silenced).
    const record = (from: number, status: "healthy" | "unhealthy") => {
      for (let i = 0; i < 10; i++)
        history.recordResult({
          service: "api",
          check: "http",
          at: at(from + i),
          status,
          latencyMs: 1,
          message: null,
        });
    };
    record(-60, "unhealthy");
    record(-40, "healthy");
    record(5, "unhealthy");
    await history.flush();

    const text = `services:
  api: { kind: external }
alerting:
  routes: []
  maintenance:
    - { name: upgrade, services: [api], from: "${at(-61).toISOString()}", to: "${at(-50).toISOString()}" }
`;
    const { config, redactor } = parseConfigText(text, "vigil.yaml");
    const alerting = createAlerting({
      sql: db.pool,
      config: () => config,
      redact: redactor.redact,
      log: () => {},
    });
    server = await startScriptedServer(new ScriptedEngine(["api"]), {
      config,
      alerting,
      store: adaptStore(history),
    });
    const url = server.url;
    const range = new URLSearchParams({
      service: "api",
      from: at(-120).toISOString(),
      to: at(120).toISOString(),
    });
    const uptime = async () =>
      (
        (await getJson(url, `/api/history?${range}&resolution=raw`)).body as {
          uptime: number | null;
          points: unknown[];
        }
      ).uptime;

    // The window leaves out the first ten: 10 healthy of 20 counted.
    expect(await uptime()).toBeCloseTo(0.5);
    const silenced = await postJson(url, "/api/alerts/silences", { service: "api", duration: "1h" });
    expect(silenced.status).toBe(202);
    // The silence reaches Postgres through the outbox recorder: then the last ten drop out too.
    const deadline = Date.now() + 10_000;
    while ((await uptime()) !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await uptime()).toBe(1);
    const all = (await getJson(url, `/api/history?${range}&resolution=raw`)).body as { points: unknown[] };
    expect(all.points).toHaveLength(30);
  });
});
