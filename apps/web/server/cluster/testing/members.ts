import { join } from "node:path";
import type { Db } from "@vigil/db";
import { TestClient } from "../../auth/testing/client.ts";
import { servicePid, until } from "../../control/testing/processes.ts";
import type { Instance } from "./instances.ts";

/* The cluster as the database sees it, for tests that run real instances (instances.ts). */

export interface Member {
  id: string;
  name: string;
  url: string;
  stateDir: string;
  instance: Instance;
}

/** Live members, each with its instance; state directories are `dir/<node name>`. */
export async function liveMembers(db: Db, dir: string, instances: readonly Instance[]): Promise<Member[]> {
  const { rows } = await db.pool.query<{ id: string; node_name: string; url: string }>(
    "SELECT id, node_name, url FROM cluster_members WHERE last_seen > now() - interval '6 seconds' ORDER BY id",
  );
  return rows.flatMap((r) => {
    const instance = instances.find((i) => i.name === r.node_name);
    return instance
      ? [{ id: r.id, name: r.node_name, url: r.url, stateDir: join(dir, r.node_name), instance }]
      : [];
  });
}

/** The live leader and the others; undefined while no one holds a live lease. */
export async function roles(
  db: Db,
  dir: string,
  instances: readonly Instance[],
): Promise<{ leader: Member; followers: Member[] } | undefined> {
  const { rows } = await db.pool.query<{ holder: string }>(
    "SELECT holder FROM cluster_lease WHERE name = 'leader' AND expires_at > now() AND holder IS NOT NULL",
  );
  const all = await liveMembers(db, dir, instances);
  const leader = all.find((m) => m.id === rows[0]?.holder);
  return leader ? { leader, followers: all.filter((m) => m !== leader) } : undefined;
}

/** A browser-like client signed in on `base`. */
export async function signedIn(base: string, user: string, password: string): Promise<TestClient> {
  const client = new TestClient(base);
  const status = await client.signIn(user, password);
  if (status !== 200) throw new Error(`sign-in on ${base}: HTTP ${status}`);
  return client;
}

export interface FinishedAction {
  result: string;
  message?: string;
  steps?: { service: string; state: string; message?: string | null }[];
}

/** The action `actionId` once it has finished, as `client`'s instance reports it. */
export async function finishedAction(
  client: TestClient,
  actionId: string,
  timeoutMs = 120_000,
): Promise<FinishedAction> {
  return until(
    `action ${actionId} to finish`,
    async () => {
      const body = (await client.get(`/api/actions/${actionId}`)).body as Partial<FinishedAction>;
      return body.result && body.result !== "running" ? (body as FinishedAction) : undefined;
    },
    timeoutMs,
  );
}

/** A client on `base` holding the cookies `from` got elsewhere (one browser, another instance). */
export function sameBrowser(from: TestClient, base: string): TestClient {
  const client = new TestClient(base);
  for (const [k, v] of from.cookies) client.cookies.set(k, v);
  return client;
}

/** Waits for `probe` (minutes: instances compiling at once on a loaded machine); fails with their output. */
export async function clusterReady(
  instances: readonly Instance[],
  what: string,
  probe: () => Promise<boolean>,
): Promise<void> {
  await until(what, async () => ((await probe()) ? true : undefined), 360_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${instances.map((i) => `--- ${i.name}\n${i.output()}`).join("\n")}`);
  });
}

/** Stops every instance, then kills what they started (a crashed one, or without VIGIL_STOP_ON_EXIT). */
export async function stopCluster(
  instances: readonly Instance[],
  dir: string,
  services: string[],
): Promise<void> {
  await Promise.all(instances.map((i) => i.stop()));
  for (const i of instances)
    for (const service of services) {
      const pid = servicePid(join(dir, i.name), service);
      if (pid === undefined) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
}

/** One instance's /metrics, read with the metrics token the instances were started with. */
export async function scrapeMetrics(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return res.text();
}

/** True when the instance at `url` counts `n` members (its `vigil_cluster_members` gauge). */
export async function countsMembers(url: string, token: string, n: number): Promise<boolean> {
  const text = await scrapeMetrics(url, token).catch(() => "");
  return new RegExp(`^vigil_cluster_members ${n}$`, "m").test(text);
}

/**
 * True once every live member counts `n` members (its `vigil_cluster_members`): each has then read
 * the membership and rebalanced its checks. The database alone can show `n` members while one of
 * them has not yet read the others and still probes everything.
 */
export async function everyMemberCounts(
  db: Db,
  dir: string,
  instances: readonly Instance[],
  n: number,
  token: string,
): Promise<boolean> {
  const all = await liveMembers(db, dir, instances);
  if (all.length !== n) return false;
  const counts = await Promise.all(all.map((m) => countsMembers(m.url, token, n)));
  return counts.every(Boolean);
}
