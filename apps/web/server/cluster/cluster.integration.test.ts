import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../control/testing/processes.ts";
import { type Instance, startInstance } from "./testing/instances.ts";

/*
 * Three real Vigil instances (server.ts, headless, VIGIL_CLUSTER=1) on one throwaway database on
 * the real Postgres, watching 300 services, one of them probed against a real HTTP target that the
 * test turns on and off; alerts go to a real webhook receiver that counts them.
 */

const dir = mkdtempSync(join(tmpdir(), "vigil-cluster-"));
const config = join(dir, "vigil.yaml");
let tdb: TestDatabase;
let db: Db;
const instances: Instance[] = [];
const servers: Server[] = [];
const received: { event: string; incidentKey: string; rootCause: { service: string } }[] = [];
let targetUp = true;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const http = createServer(handler);
  servers.push(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return (http.address() as AddressInfo).port;
}

const events = (event: string) => received.filter((n) => n.event === event && n.rootCause.service === "api");

const leader = async () => {
  const { rows } = await db.pool.query<{ node_name: string; token: string }>(
    `SELECT m.node_name, l.token FROM cluster_lease l JOIN cluster_members m ON m.id = l.holder
     WHERE l.name = 'leader' AND l.expires_at > now()`,
  );
  return rows[0];
};

beforeAll(async () => {
  const target = await listen((_req, res) => {
    res.writeHead(targetUp ? 200 : 503).end(targetUp ? "ok" : "down");
  });
  const hook = await listen((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const fillers = Array.from({ length: 299 }, (_, i) => `  svc${i}: { kind: external }`).join("\n");
  writeFileSync(
    config,
    `project: cluster
services:
  api:
    kind: external
    checks:
      - { kind: http, name: health, url: "http://127.0.0.1:${target}/", interval: 500ms, failure_threshold: 1 }
${fillers}
alerting:
  public_url: http://vigil.test
  channels:
    hook: { kind: webhook, url: "http://127.0.0.1:${hook}/hook" }
  routes:
    - { channels: [hook] }
`,
  );
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  for (const name of ["a", "b", "c"])
    instances.push(startInstance(name, config, join(dir, name), { DATABASE_URL: tdb.url }));
  await until(
    "three live members and a leader",
    async () => {
      const { rows } = await db.pool.query(
        "SELECT id FROM cluster_members WHERE last_seen > now() - interval '6 seconds'",
      );
      return rows.length === 3 && (await leader()) ? true : undefined;
    },
    // Three tsx-compiled servers starting at once take minutes on a loaded two-core machine.
    360_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${instances.map((i) => `--- ${i.name}\n${i.output()}`).join("\n")}`);
  });
}, 480_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await db?.close();
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("three instances on one Postgres", () => {
  it("sends one alert for one failure, though every instance sees it", async () => {
    targetUp = false;
    await until(
      "the trigger at the receiver",
      () => (events("trigger").length > 0 ? true : undefined),
      30_000,
    );
    // Long enough for every instance's decision to have arrived, had it been sent.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(events("trigger")).toHaveLength(1);
  }, 60_000);

  it("replaces a killed leader within 10 s with a larger fencing token; still one alert per event", async () => {
    const before = await leader();
    if (!before) throw new Error("no leader");
    const victim = instances.find((i) => i.name === before.node_name);
    if (!victim) throw new Error(`no instance named ${before.node_name}`);
    await victim.crash();
    const killedAt = Date.now();
    const after = await until(
      "a new leader",
      async () => {
        const now = await leader();
        return now && now.node_name !== before.node_name ? now : undefined;
      },
      20_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(BigInt(after.token)).toBeGreaterThan(BigInt(before.token));

    targetUp = true;
    await until(
      "the resolve at the receiver",
      () => (events("resolve").length > 0 ? true : undefined),
      30_000,
    );
    targetUp = false;
    await until("a second trigger", () => (events("trigger").length > 1 ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(events("trigger")).toHaveLength(2);
    expect(events("resolve")).toHaveLength(1);
  }, 90_000);
});
