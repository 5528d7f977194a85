import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { pushToken } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../control/testing/processes.ts";
import { rendezvous } from "./rendezvous.ts";
import { type Instance, startInstance } from "./testing/instances.ts";
import { countsMembers, scrapeMetrics } from "./testing/members.ts";

/*
 * Three real Vigil instances (server.ts, headless, VIGIL_CLUSTER=1) on one throwaway
 * database on the real Postgres share the probing of a few services with 1 s checks against a
 * real HTTP target. Who probed what is read from each instance's /metrics (probe runs are counted
 * where they ran), what was written from the history table, what is shown from /api/services.
 */

const SERVICES = Array.from({ length: 9 }, (_, i) => `s${i}`);
const CHECKED = [...SERVICES, "bad", "front", "cron"];
const METRICS_TOKEN = "sharing-test-metrics-token";
// Push URLs derive from it, so the test knows the cron job's URL, the same on every instance.
const SECRET = "sharing-test-secret-0123456789abcdef";
const dir = mkdtempSync(join(tmpdir(), "vigil-sharing-"));
const config = join(dir, "vigil.yaml");
let tdb: TestDatabase;
let db: Db;
let target: Server | undefined;
const instances = new Map<string, Instance>();

const check = (url: string) =>
  `{ kind: http, name: up, url: "${url}", interval: 1s, timeout: 2s, failure_threshold: 1 }`;

function start(name: string): void {
  instances.set(
    name,
    startInstance(name, config, join(dir, name), {
      DATABASE_URL: tdb.url,
      VIGIL_ANONYMOUS_READ: "1",
      VIGIL_METRICS_TOKEN: METRICS_TOKEN,
      VIGIL_SECRET: SECRET,
    }),
  );
}

const dump = () => [...instances.values()].map((i) => `--- ${i.name}\n${i.output().slice(-4000)}`).join("\n");

/** Live members by node name, with where to reach them. */
async function members(): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ node_name: string; url: string }>(
    "SELECT node_name, url FROM cluster_members WHERE last_seen > now() - interval '6 seconds'",
  );
  return new Map(rows.map((r) => [r.node_name, r.url]));
}

/**
 * Resolves once the live members are `names` and each of them counts exactly those (its
 * `vigil_cluster_members`): each has then read the membership and rebalanced its checks.
 */
async function settled(names: string[]): Promise<Map<string, string>> {
  const want = [...names].sort().join();
  const nodes = await until(
    `members ${want}`,
    async () => {
      const now = await members();
      return [...now.keys()].sort().join() === want ? now : undefined;
    },
    360_000,
  );
  await until(
    `every member counting ${names.length}`,
    async () => {
      const counts = await Promise.all(
        [...nodes.values()].map((url) => countsMembers(url, METRICS_TOKEN, names.length)),
      );
      return counts.every(Boolean) ? true : undefined;
    },
    60_000,
  );
  return nodes;
}

const scrape = (url: string) => scrapeMetrics(url, METRICS_TOKEN);

/** Probe runs per service on one instance, from its /metrics. */
async function probeRuns(url: string): Promise<Map<string, number>> {
  const text = await scrape(url);
  const runs = new Map<string, number>();
  for (const m of text.matchAll(/^vigil_probe_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
    const service = /service="([^"]+)"/.exec(m[1] ?? "")?.[1];
    if (service) runs.set(service, (runs.get(service) ?? 0) + Number(m[2]));
  }
  return runs;
}

/** Which instance(s) probed each service over a window in which every service was probed a few times. */
async function probersOver(nodes: Map<string, string>): Promise<Map<string, string[]>> {
  const before = new Map<string, Map<string, number>>();
  for (const [name, url] of nodes) before.set(name, await probeRuns(url));
  const deltas = async () => {
    const out = new Map<string, Map<string, number>>();
    for (const [name, url] of nodes) {
      const now = await probeRuns(url);
      out.set(name, new Map(CHECKED.map((s) => [s, (now.get(s) ?? 0) - (before.get(name)?.get(s) ?? 0)])));
    }
    return out;
  };
  const delta = await until(
    "every service probed three times",
    async () => {
      const d = await deltas();
      const total = (s: string) => [...d.values()].reduce((sum, m) => sum + (m.get(s) ?? 0), 0);
      return CHECKED.every((s) => total(s) >= 3) ? d : undefined;
    },
    60_000,
  );
  return new Map(CHECKED.map((s) => [s, [...delta].filter(([, m]) => (m.get(s) ?? 0) > 0).map(([n]) => n)]));
}

/**
 * The database's now() once every check has a row written after `t`: each check's rows come from
 * one writer, in order, so every row up to `t` is in the table by then.
 */
async function flushedPast(t: Date): Promise<void> {
  await until(
    "rows after the window from every check",
    async () => {
      const { rows } = await db.pool.query<{ n: string }>(
        "SELECT count(DISTINCT service) AS n FROM probe_results WHERE at > $1",
        [t],
      );
      return Number(rows[0]?.n) >= CHECKED.length ? true : undefined;
    },
    30_000,
  );
}

const dbNow = async () => (await db.pool.query<{ t: Date }>("SELECT now() AS t")).rows[0]?.t ?? new Date();

const expectedOwners = (names: string[]) => new Map(CHECKED.map((s) => [s, [rendezvous(s, names)]]));

beforeAll(async () => {
  target = createServer((req, res) => {
    res.writeHead(req.url === "/bad" ? 503 : 200).end();
  });
  await new Promise<void>((resolve) => target?.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  writeFileSync(
    config,
    `project: sharing
services:
${SERVICES.map((s) => `  ${s}:\n    kind: external\n    checks: [${check(`${url}/${s}`)}]`).join("\n")}
  bad:
    kind: external
    checks: [${check(`${url}/bad`)}]
  front:
    kind: external
    depends_on: [bad]
    checks: [${check(`${url}/front`)}]
  cron:
    kind: external
    checks: [{ kind: push, name: beat, period: 1h, interval: 1s, failure_threshold: 1 }]
`,
  );
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  for (const name of ["a", "b", "c"]) start(name);
  // Three tsx-compiled servers starting at once take minutes on a loaded two-core machine.
  await settled(["a", "b", "c"]).catch((err: Error) => {
    throw new Error(`${err.message}\n${dump()}`);
  });
}, 480_000);

afterAll(async () => {
  await Promise.all([...instances.values()].map((i) => i.stop()));
  target?.closeAllConnections();
  await new Promise((resolve) => target?.close(resolve));
  await db?.close();
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("probing shared by three instances", () => {
  it("probes each check on one instance only — the rendezvous owner — and writes each result once", async () => {
    const nodes = await members();
    // The names were picked so that every instance owns something (rendezvous is deterministic).
    expect(new Set([...expectedOwners(["a", "b", "c"]).values()].flat()).size).toBe(3);
    const from = await dbNow();
    expect(await probersOver(nodes)).toEqual(expectedOwners(["a", "b", "c"]));
    // Rows per check against the schedule (1 s ± 10 % jitter): about one a second, never three.
    const to = await dbNow();
    await flushedPast(to);
    const { rows } = await db.pool.query<{ service: string; n: string; span: number }>(
      `SELECT service, count(*) AS n, extract(epoch FROM max(at) - min(at))::float8 AS span
       FROM probe_results WHERE at > $1 AND at <= $2 GROUP BY service`,
      [from, to],
    );
    expect(rows.map((r) => r.service).sort()).toEqual([...CHECKED].sort());
    for (const r of rows) {
      // n rows span n-1 intervals; with three probers it would be ~3 per second.
      const perSecond = (Number(r.n) - 1) / Math.max(r.span, 1);
      expect(perSecond, `${r.service}: ${r.n} rows over ${r.span} s`).toBeLessThan(1.5);
    }
  }, 120_000);

  it("shows the same statuses on every instance: a failing check owned by one fails on all", async () => {
    const nodes = await members();
    const views = async () =>
      Promise.all(
        [...nodes.values()].map(async (url) => {
          const body = (await (await fetch(`${url}/api/services`)).json()) as {
            services: { name: string; status: string; blockedBy: string[] }[];
          };
          return body.services.map((s) => `${s.name}:${s.status}:${s.blockedBy.join("+")}`).sort();
        }),
      );
    const agreed = await until(
      "the same board on all three",
      async () => {
        const all = await views();
        return all.every((v) => v.join() === all[0]?.join()) ? all[0] : undefined;
      },
      30_000,
    );
    expect(agreed).toContain("bad:unhealthy:");
    expect(agreed).toContain("front:blocked:bad");
    for (const s of SERVICES) expect(agreed).toContain(`${s}:healthy:`);
  }, 60_000);

  it("hears a push ping whichever instance receives it: the owner judges, every board shows it", async () => {
    const nodes = await members();
    const owner = rendezvous("cron", ["a", "b", "c"]);
    const others = [...nodes].filter(([name]) => name !== owner).map(([, url]) => url);
    const key = createHmac("sha256", SECRET).update("vigil push key v1").digest("hex");
    const path = `/api/push/${pushToken(key, "cron", "beat")}`;
    const cronOnAll = async (status: string) =>
      until(
        `cron ${status} on every instance`,
        async () => {
          const all = await Promise.all(
            [...nodes.values()].map(async (url) => {
              const body = (await (await fetch(`${url}/api/services`)).json()) as {
                services: { name: string; status: string }[];
              };
              return body.services.find((s) => s.name === "cron")?.status;
            }),
          );
          return all.every((s) => s === status) ? true : undefined;
        },
        30_000,
      );
    // Each ping goes to an instance that does not probe the check.
    expect((await fetch(`${others[0]}${path}/fail`, { method: "POST" })).status).toBe(200);
    await cronOnAll("unhealthy");
    expect((await fetch(`${others[1]}${path}`, { method: "POST" })).status).toBe(200);
    await cronOnAll("healthy");
  }, 90_000);

  it("moves a killed instance's checks to the survivors within 10 s, and gives a joining one its share", async () => {
    const victim = "b";
    const moved = CHECKED.filter((s) => rendezvous(s, ["a", "b", "c"]) === victim);
    expect(moved.length).toBeGreaterThan(0);
    const killedAt = await dbNow();
    await instances.get(victim)?.crash();
    instances.delete(victim);
    const survivors = await settled(["a", "c"]);
    expect(await probersOver(survivors)).toEqual(expectedOwners(["a", "c"]));
    await flushedPast(await dbNow());
    // The longest gap in each moved check's rows around the kill: detection (TTL 6 s + one 2 s
    // heartbeat) plus the first run on the new owner (within one 1 s interval).
    const { rows } = await db.pool.query<{ service: string; gap: number }>(
      `SELECT service, max(gap)::float8 AS gap FROM (
         SELECT service, extract(epoch FROM at - lag(at) OVER (PARTITION BY service ORDER BY at)) AS gap
         FROM probe_results WHERE at > $1::timestamptz - interval '5 seconds') g
       GROUP BY service`,
      [killedAt],
    );
    const gaps = new Map(rows.map((r) => [r.service, r.gap]));
    for (const s of moved) expect(gaps.get(s), `${s}'s longest gap`).toBeLessThanOrEqual(11);

    start("d");
    const four = await settled(["a", "c", "d"]).catch((err: Error) => {
      throw new Error(`${err.message}\n${dump()}`);
    });
    const owners = expectedOwners(["a", "c", "d"]);
    expect([...owners.values()].flat()).toContain("d");
    expect(await probersOver(four)).toEqual(owners);
  }, 480_000);

  it("restarts every instance in turn (SIGTERM, start again) with no gap in any check's history over two intervals", async () => {
    const names = [...(await members()).keys()].sort();
    expect(names).toHaveLength(3);
    const from = await dbNow();
    for (const name of names) {
      await instances.get(name)?.stop();
      start(name);
      await settled(names).catch((err: Error) => {
        throw new Error(`${err.message}\n${dump()}`);
      });
    }
    const to = await dbNow();
    await flushedPast(to);
    // Every check runs every 1 s (±10 % jitter): two intervals are 2.2 s at the most.
    const { rows } = await db.pool.query<{ service: string; gap: number; n: string }>(
      `SELECT service, max(gap)::float8 AS gap, count(*) AS n FROM (
         SELECT service, extract(epoch FROM at - lag(at) OVER (PARTITION BY service ORDER BY at)) AS gap
         FROM probe_results WHERE at > $1 AND at <= $2) g
       GROUP BY service`,
      [from, to],
    );
    expect(rows.map((r) => r.service).sort()).toEqual([...CHECKED].sort());
    for (const r of rows) expect(r.gap, `${r.service}'s longest gap (${r.n} rows)`).toBeLessThanOrEqual(2.2);
  }, 900_000);
});
