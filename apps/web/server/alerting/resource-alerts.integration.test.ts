import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { createEngine, parseConfigText } from "@vigil/orchestrator";
import type { Notification } from "@vigil/orchestrator/notify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adaptEngine } from "../adapters/engine.ts";
import { createVigilServer, type VigilServer } from "../app.ts";
import { findRepoRoot } from "../startup/paths.ts";
import { postJson } from "../testing/http.ts";
import { MemoryStore } from "../testing/memory-store.ts";
import { createAlerting } from "./compose.ts";

/*
 * A resource rule end to end: a real process holding memory under its limit (real engine and
 * sampler), alerting.resource_rules with a short `for:`, the outbox in a real Postgres, the real
 * webhook channel and a real HTTP receiver.
 */

const repo = findRepoRoot(import.meta.dirname) ?? "";
const hog = join(repo, "packages/orchestrator/src/resources/fixtures/hog.mjs");

let tdb: TestDatabase;
let db: Db;
let receiver: Server;
const received: Notification[] = [];
let server: VigilServer;
const stateDir = mkdtempSync(join(tmpdir(), "vigil-resalert-"));

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push(JSON.parse(body) as Notification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  // The hog holds 96 MB (plus Node's own ~40 MB) under a 192 MiB limit: well over 30 %, far from an OOM.
  const text = `project: resalert${process.pid}
services:
  hog:
    kind: process
    command: ["${process.execPath}", "${hog}"]
    env: { HOG_SINGLE: "1", HOG_STEP_MB: "16", HOG_MAX_MB: "96" }
    resources: { memory: 192MiB }
    stop_grace: 2s
alerting:
  public_url: http://vigil.test
  channels:
    hook: { kind: webhook, url: "${hookUrl}" }
  routes:
    - { channels: [hook] }
  resource_rules:
    - { name: near-limit, memory_of_limit_above: 30, for: 1s }
`;
  const { config, redactor } = parseConfigText(text, "vigil.yaml");
  const alerting = createAlerting({
    sql: db.pool,
    config: () => config,
    redact: redactor.redact,
    log: () => {},
  });
  server = await createVigilServer({
    config,
    engine: (opts) => adaptEngine(createEngine({ ...opts, resourceIntervalMs: 200 })),
    store: new MemoryStore(),
    stateDir,
    host: "127.0.0.1",
    port: 0,
    next: false,
    log: () => undefined,
    alerting,
  });
});

afterAll(async () => {
  await server?.close({ stopServices: true, timeoutMs: 10_000 });
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.close();
  await tdb.drop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("resource alert rules in the web server (real process, Postgres, webhook)", () => {
  it("notifies once memory has stayed above the rule's share of the limit for its `for:`", async () => {
    expect((await postJson(server.url, "/api/actions", { kind: "start", targets: ["hog"] })).status).toBe(
      202,
    );
    const deadline = Date.now() + 30_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    const [n] = received;
    expect(n).toMatchObject({
      event: "trigger",
      severity: "warning",
      rootCause: { service: "hog" },
      links: { service: "http://vigil.test/services/hog" },
    });
    expect(n?.title).toMatch(
      /^hog: memory \d+ % of its 192 MiB limit for [\d.]+s \(rule near-limit: above 30 % for 1s\)$/,
    );
    expect(n?.incidentKey).toMatch(/^resources\/near-limit\/hog@/);
  });
});
