import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, servicePid, until } from "../control/testing/processes.ts";
import { type Instance, startInstance } from "./testing/instances.ts";
import { clusterReady, roles, signedIn, stopCluster } from "./testing/members.ts";

/*
 * A stack-wide start clicked on the leader (instance "a") reaches a process service whose `node:`
 * names instance "b": "a" asks "b" to start it (a forwarded start for the same user) and waits for
 * it to be healthy. Two real server.ts instances on a throwaway database on the real Postgres; the
 * service is a real HTTP process, found afterwards in b's state directory only.
 */

const USER = "node-admin";
const METRICS_TOKEN = "node-start-metrics-token";
const PASSWORD = `node-${Math.random().toString(36).slice(2)}-pw`;
const PORT = 41_640;
const dir = mkdtempSync(join(tmpdir(), "vigil-node-start-"));
const config = join(dir, "vigil.yaml");
let tdb: TestDatabase;
let db: Db;
const instances: Instance[] = [];

function start(name: string): void {
  instances.push(
    startInstance(name, config, join(dir, name), {
      DATABASE_URL: tdb.url,
      VIGIL_ADMIN_USER: USER,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
      VIGIL_METRICS_TOKEN: METRICS_TOKEN,
    }),
  );
}

beforeAll(async () => {
  const service = join(repoRoot, "packages/orchestrator/src/lifecycle/fixtures/http-service.mjs");
  writeFileSync(
    config,
    `project: nodestart
services:
  worker:
    kind: process
    node: b
    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(service)}]
    env: { PORT: "${PORT}" }
    stop_grace: 2s
    checks:
      - { kind: http, name: health, url: "http://127.0.0.1:${PORT}/health", interval: 500ms }
`,
  );
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  // "a" first, so it leads; then "b", whose node the worker names.
  start("a");
  await clusterReady(
    instances,
    "a leading",
    async () => (await roles(db, dir, instances))?.leader.name === "a",
  );
  start("b");
  await clusterReady(instances, "a leading b, and a counting b among its members", async () => {
    const now = await roles(db, dir, instances);
    if (!now?.followers.some((m) => m.name === "b")) return false;
    const metrics = await fetch(`${now.leader.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    }).then((r) => r.text());
    return /^vigil_cluster_members 2$/m.test(metrics);
  });
}, 480_000);

afterAll(async () => {
  await stopCluster(instances, dir, ["worker"]);
  await db?.close();
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("a stack-wide start in a cluster", () => {
  it("starts a process service on the node it names, for the user who clicked, and waits for it", async () => {
    const now = await roles(db, dir, instances);
    if (!now) throw new Error("no leader");
    const onA = await signedIn(now.leader.url, USER, PASSWORD);
    const posted = await onA.post("/api/actions", { kind: "start", targets: [], withDependents: false });
    expect(posted.status, posted.text).toBe(202);
    const { actionId } = posted.body as { actionId: string };
    const action = await until(
      "the start to finish",
      async () => {
        const body = (await onA.get(`/api/actions/${actionId}`)).body as {
          result?: string;
          steps?: { service: string; state: string; message?: string }[];
        };
        return body.result && body.result !== "running" ? body : undefined;
      },
      120_000,
    );
    expect(action.result, JSON.stringify(action.steps)).toBe("succeeded");
    expect(action.steps?.filter((s) => s.service === "worker").map((s) => s.state)).toEqual(
      expect.arrayContaining(["starting", "healthy"]),
    );
    // It runs where its node: says, started by b for the user; a never spawned it.
    expect(servicePid(join(dir, "b"), "worker")).toBeGreaterThan(0);
    expect(servicePid(join(dir, "a"), "worker")).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${PORT}/health`)).status).toBe(200);
    const { rows } = await db.pool.query<{ requested_by: string }>(
      "SELECT requested_by FROM actions WHERE kind = 'start' AND targets = ARRAY['worker']",
    );
    expect(rows.map((r) => r.requested_by)).toContain(USER);
  }, 180_000);
});
