import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionDelta } from "../../lib/contract.ts";
import { connected } from "../auth/testing/client.ts";
import { servicePid, until } from "../control/testing/processes.ts";
import { clusterIdOf } from "./seam.ts";
import { type Instance, startInstance } from "./testing/instances.ts";
import { clusterReady, roles, sameBrowser, signedIn, stopCluster } from "./testing/members.ts";

/*
 * The same fan-out with REDIS_URL: two real instances whose Socket.IO adapter is the official
 * Redis streams adapter on the machine's real Redis (6379). An action clicked on the follower
 * runs on the worker's node, "a", which leads; a socket on the follower gets its progress, which can only have come through
 * this cluster's own Redis stream (no instance LISTENs on Postgres for it).
 */

const REDIS_URL = "redis://127.0.0.1:6379";
const dir = mkdtempSync(join(tmpdir(), "vigil-redis-adapter-"));
const config = join(dir, "vigil.yaml");
const USER = "admin";
const PASSWORD = "redis cluster password 1";
let tdb: TestDatabase;
let db: Db;
let redis: Redis;
const instances: Instance[] = [];

beforeAll(async () => {
  writeFileSync(
    config,
    `project: redis-adapter
services:
  worker:
    kind: process
    node: a
    command: [sleep, "600"]
    stop_grace: 1s
`,
  );
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  const start = (name: string) =>
    instances.push(
      startInstance(name, config, join(dir, name), {
        DATABASE_URL: tdb.url,
        REDIS_URL,
        VIGIL_ADMIN_USER: USER,
        VIGIL_ADMIN_PASSWORD: PASSWORD,
      }),
    );
  // "a" first, so the node the worker names is also the leader.
  start("a");
  await clusterReady(
    instances,
    "a leading",
    async () => (await roles(db, dir, instances))?.leader.name === "a",
  );
  start("b");
  await clusterReady(instances, "two live members and a leader", async () => {
    return (await roles(db, dir, instances))?.followers.length === 1;
  });
}, 480_000);

afterAll(async () => {
  await stopCluster(instances, dir, ["worker"]);
  // Only this cluster's own stream (named from its key): other users of this Redis keep theirs.
  if (redis && db) await redis.del(await streamOf(db)).catch(() => undefined);
  redis?.disconnect();
  await db?.close();
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function streamOf(db: Db): Promise<string> {
  const { rows } = await db.pool.query<{ value: string }>(
    "SELECT value FROM auth_secrets WHERE key = 'cluster_key'",
  );
  const key = rows[0]?.value;
  if (!key) throw new Error("no cluster key stored");
  return `vigil:${clusterIdOf(key)}:socket.io`;
}

describe("the Redis streams adapter (REDIS_URL)", () => {
  it("carries an action run on the leader to a socket on the follower", async () => {
    const now = await roles(db, dir, instances);
    const follower = now?.followers[0];
    if (!now || !follower) throw new Error("a leader and a follower expected");
    const browser = await signedIn(follower.url, USER, PASSWORD);
    const socket = sameBrowser(browser, follower.url).socket();
    const events: ActionDelta[] = [];
    socket.on("action", (d) => events.push(d));
    try {
      await connected(socket);
      const accepted = await browser.post("/api/actions", { kind: "start", targets: ["worker"] });
      expect(accepted.status, accepted.text).toBe(202);
      const { actionId } = accepted.body as { actionId: string };
      const finished = await until(
        "the action's finish at the follower's socket",
        () => events.find((e) => e.type === "finished" && e.actionId === actionId),
        60_000,
      );
      expect(finished).toMatchObject({ result: "succeeded" });
      expect(servicePid(now.leader.stateDir, "worker")).toBeTypeOf("number");
      expect(servicePid(follower.stateDir, "worker")).toBeUndefined();
      // It went through Redis: no instance listens on Postgres, and the cluster has its stream.
      const listening = await db.pool.query(
        // The probe-result bus (cluster/probing.ts) LISTENs on Postgres whatever the adapter.
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND query <> 'LISTEN vigil_cluster'",
      );
      expect(listening.rows).toEqual([]);
      expect(await redis.xlen(await streamOf(db))).toBeGreaterThan(0);
    } finally {
      socket.disconnect();
    }
  }, 120_000);
});
