import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { repoRoot } from "../../control/testing/processes.ts";
import { type Instance, startInstance } from "./instances.ts";
import { clusterReady, countsMembers, roles, signedIn, stopCluster } from "./members.ts";

/** A process service for vigil.yaml: the HTTP fixture on `port`, checked, run by `node`. */
export const nodeServiceYaml = (name: string, node: string, port: number, extra = ""): string => `  ${name}:
    kind: process
    node: ${node}
    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(repoRoot, "packages/orchestrator/src/lifecycle/fixtures/http-service.mjs"))}]
    env: { PORT: "${port}" }
    stop_grace: 2s
    checks:
      - { kind: http, name: health, url: "http://127.0.0.1:${port}/health", interval: 500ms }
${extra}`;

/**
 * The two-instance cluster of the `node:` tests, on a throwaway database on the real Postgres:
 * `up` starts instance "a" and waits until it leads, then "b" until the leader counts it among
 * its members (state directories `dir/a`, `dir/b`); `down` stops both, kills the `services` they
 * left running and drops the database.
 */
export function nodeCluster(name: string, services: string[]) {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
  const user = `${name}-admin`;
  const password = `${name}-${Math.random().toString(36).slice(2)}-pw`;
  const metricsToken = `${name}-metrics-token`;
  const instances: Instance[] = [];
  let tdb: TestDatabase | undefined;
  let pool: Db | undefined;
  const db = (): Db => {
    if (!pool) throw new Error("the cluster is not up");
    return pool;
  };
  return {
    dir,
    instances,
    db,
    async up(yaml: string): Promise<void> {
      const config = join(dir, "vigil.yaml");
      writeFileSync(config, yaml);
      tdb = await createTestDatabase();
      pool = createDb({ url: tdb.url, maxConnections: 2 });
      const env = {
        DATABASE_URL: tdb.url,
        VIGIL_ADMIN_USER: user,
        VIGIL_ADMIN_PASSWORD: password,
        VIGIL_METRICS_TOKEN: metricsToken,
      };
      const start = (node: string) => instances.push(startInstance(node, config, join(dir, node), env));
      start("a");
      await clusterReady(
        instances,
        "a leading",
        async () => (await roles(db(), dir, instances))?.leader.name === "a",
      );
      start("b");
      await clusterReady(instances, "a leading b, and a counting b among its members", async () => {
        const now = await roles(db(), dir, instances);
        if (!now?.followers.some((m) => m.name === "b")) return false;
        return countsMembers(now.leader.url, metricsToken, 2);
      });
    },
    /** The leader and b, with a client signed in on each. */
    async members() {
      const now = await roles(db(), dir, instances);
      const b = now?.followers.find((m) => m.name === "b");
      if (!now || !b) throw new Error("a does not lead b");
      return {
        a: now.leader,
        b,
        onA: await signedIn(now.leader.url, user, password),
        onB: await signedIn(b.url, user, password),
      };
    },
    user,
    async down(): Promise<void> {
      await stopCluster(instances, dir, services);
      await pool?.close();
      await tdb?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
