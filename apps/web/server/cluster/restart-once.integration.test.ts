import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { ConfigSchema, createEngine, type Engine, type EngineEvent } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../control/testing/processes.ts";
import { ClusterNode } from "./node.ts";

/*
 * Two instances (a real engine, its own state directory and a ClusterNode each, with their own
 * pools) watching one real Docker container, on a throwaway database on the real Postgres. The
 * container is killed: both see the exit, only the leader restarts it — once — and after the
 * leader's database connection dies, the other takes over without restarting it again.
 */

const timing = { heartbeatMs: 500, leaseMs: 3000, memberTtlMs: 3000 };
const dir = mkdtempSync(join(tmpdir(), "vigil-restart-once-"));
const container = `vigil-restart-once-${randomBytes(4).toString("hex")}`;
const config = ConfigSchema.parse({
  project: "restart-once",
  services: {
    worker: {
      kind: "docker",
      image: "vigil/busybox:1",
      container_name: container,
      command: "exec sleep 300",
      stop_grace: "1s",
      restart: { policy: "always", backoff: { initial: "100ms" } },
    },
  },
});
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();
const startedAt = () => docker("inspect", "-f", "{{.State.StartedAt}}", container);
let tdb: TestDatabase;
const dbs: Db[] = [];
const nodes: ClusterNode[] = [];
const engines: Engine[] = [];
const restarts: { by: string; at: Date }[] = [];

function instance(name: string): { node: ClusterNode; engine: () => Engine; db: Db } {
  const db = createDb({ url: tdb.url, maxConnections: 2 });
  dbs.push(db);
  const node = new ClusterNode({ pool: db.pool, nodeName: name, timing, log: () => {} });
  nodes.push(node);
  return {
    node,
    db,
    engine: () => {
      const onEvent = (e: EngineEvent) => {
        if (e.type === "service.restarted") restarts.push({ by: name, at: e.at });
      };
      const stateDir = join(dir, name);
      const engine = createEngine({ config, stateDir, onEvent, authority: node.authority() });
      engines.push(engine);
      return engine;
    },
  };
}

let a: ReturnType<typeof instance>;
let b: ReturnType<typeof instance>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  a = instance("a");
  b = instance("b");
  await a.node.start("http://127.0.0.1:1");
  await b.node.start("http://127.0.0.1:2");
}, 60_000);

afterAll(async () => {
  for (const engine of engines) await engine.close({ stopServices: false }).catch(() => {});
  try {
    docker("rm", "-f", container);
  } catch {
    // never created
  }
  for (const node of nodes) await node.close();
  for (const db of dbs) await db.close();
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const decisions = async () =>
  (await b.db.pool.query<{ holder: string }>("SELECT holder FROM cluster_decisions WHERE kind = 'restart'"))
    .rows;

describe("policy restarts in a cluster", () => {
  it("restarts a killed container once, by the leader only", async () => {
    expect(a.node.leader).toBe(true);
    expect(b.node.leader).toBe(false);
    const engineA = a.engine();
    await engineA.ready;
    await engineA.start(["worker"], { requestedBy: "test" }).done;
    const engineB = b.engine();
    await engineB.ready;
    const first = startedAt();
    docker("kill", container);
    await until("a restart", () => (restarts.length > 0 ? true : undefined), 20_000);
    // The follower asks again every 3 s; two rounds show it still does nothing.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    // Whoever led when the exit came (a loaded machine may have moved the lease) restarted it, once.
    const [only, ...more] = restarts;
    expect(more).toEqual([]);
    const restarter = only?.by === "a" ? a : b;
    expect((await decisions()).map((d) => d.holder)).toEqual([restarter.node.id]);
    expect(startedAt()).not.toBe(first);
  }, 60_000);

  it("a new leader after the old one lost its database does not restart the same exit again", async () => {
    const old = a.node.leader ? a : b;
    const next = old === a ? b : a;
    await old.db.close(); // it can no longer renew: its lease lapses on the database's clock
    await until("the other to lead", () => (next.node.leader ? true : undefined), 10_000);
    // The new leader's own view of the exit is still being retried: it must find it done.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect(restarts).toHaveLength(1);
    expect(await decisions()).toHaveLength(1);
  }, 60_000);
});
