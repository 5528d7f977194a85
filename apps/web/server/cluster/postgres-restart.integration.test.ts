import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { type PrivatePostgres, startPrivatePostgres } from "@vigil/db/testing/private-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../control/testing/processes.ts";
import { type Instance, startInstance } from "./testing/instances.ts";
import { clusterReady, everyMemberCounts } from "./testing/members.ts";

/*
 * Postgres restarted under a cluster: two real Vigil instances (server.ts, VIGIL_CLUSTER=1) on a
 * real PostgreSQL server of this test's own (so stopping it touches no other test), probing a real
 * HTTP target every second. The database goes away for longer than the leader lease; the instances
 * must keep probing, keep their results (each written once), and agree on one leader again once it
 * is back.
 */

const PG_PORT = 41_590;
const OUTAGE_MS = 9000;
const METRICS_TOKEN = "pg-restart-metrics-token";
const dir = mkdtempSync(join(tmpdir(), "vigil-cluster-pg-"));
const config = join(dir, "vigil.yaml");
let server: PrivatePostgres;
let tdb: TestDatabase;
let db: Db;
let target: Server;
const instances: Instance[] = [];
const hits: number[] = [];

const leaders = async () => {
  const { rows } = await db.pool.query<{ node_name: string }>(
    `SELECT m.node_name FROM cluster_lease l JOIN cluster_members m ON m.id = l.holder
     WHERE l.name = 'leader' AND l.expires_at > now()`,
  );
  return rows.map((r) => r.node_name);
};
const liveMembers = async () => {
  const { rows } = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM cluster_members WHERE last_seen > now() - interval '6 seconds'",
  );
  return rows[0]?.n ?? 0;
};
const outputs = () => instances.map((i) => `--- ${i.name}\n${i.output().slice(-4000)}`).join("\n");

beforeAll(async () => {
  server = startPrivatePostgres(PG_PORT);
  target = createServer((_req, res) => {
    hits.push(Date.now());
    res.writeHead(200).end("ok");
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const port = (target.address() as AddressInfo).port;
  writeFileSync(
    config,
    `project: clusterpg
services:
  api:
    kind: external
    checks:
      - { kind: http, name: health, url: "http://127.0.0.1:${port}/", interval: 1s }
`,
  );
  tdb = await createTestDatabase({ adminUrl: server.adminUrl });
  db = createDb({ url: tdb.url, maxConnections: 2 });
  for (const name of ["a", "b"])
    instances.push(
      startInstance(name, config, join(dir, name), {
        DATABASE_URL: tdb.url,
        VIGIL_METRICS_TOKEN: METRICS_TOKEN,
      }),
    );
  // Each instance must have read the other before the outage: one that still counts only itself
  // owns every check and would probe (and write) the same check through the whole outage.
  await clusterReady(
    instances,
    "a leader, and both members counting each other",
    async () =>
      (await leaders()).length === 1 && (await everyMemberCounts(db, dir, instances, 2, METRICS_TOKEN)),
  );
}, 480_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  target?.closeAllConnections();
  await new Promise((resolve) => target?.close(resolve));
  await db?.close();
  await tdb?.drop().catch(() => undefined);
  server?.destroy();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("Postgres restarted under the cluster", () => {
  it("keeps probing through the outage, writes the results after it, and agrees on one leader again", async () => {
    // Pool connections of this test die with the server too; the pool reconnects afterwards.
    db.pool.on("error", () => undefined);
    const downAt = Date.now();
    server.stop();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const upAt = Date.now();
    server.start();

    // Probing never stopped: the target was asked about once a second throughout.
    const during = hits.filter((t) => t > downAt && t < upAt).length;
    expect(during).toBeGreaterThanOrEqual(Math.floor(OUTAGE_MS / 1000) - 2);
    for (const i of instances) expect(i.child.exitCode, `${i.name} exited:\n${i.output()}`).toBeNull();

    await until(
      "one leader and both members again",
      async () => {
        try {
          return (await liveMembers()) === 2 && (await leaders()).length === 1 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      30_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${outputs()}`);
    });

    // The results of the outage were buffered and written once the database was back.
    const counted = async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM probe_results WHERE service = 'api' AND "check" = 'health'
         AND at > $1 AND at < $2`,
        [new Date(downAt), new Date(upAt)],
      );
      return rows[0]?.n ?? 0;
    };
    const written = await until(
      "the outage's results in history",
      async () => {
        const n = await counted().catch(() => 0);
        return n >= Math.floor(OUTAGE_MS / 1000) - 2 ? n : undefined;
      },
      30_000,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${await counted().catch(() => "?")} rows\n${outputs()}`);
    });
    expect(written).toBeGreaterThanOrEqual(Math.floor(OUTAGE_MS / 1000) - 2);
    // Once: the check's owner keeps its share through the outage (no membership change is seen
    // while the database is away), so the other instance neither probes nor writes it too.
    expect(written).toBeLessThanOrEqual(Math.ceil((OUTAGE_MS / 1000) * 1.5));
  }, 120_000);
});
