import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Cleanup } from "../lib/cleanup.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { fleetYaml } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { repoRoot } from "../lib/paths.ts";
import { cpuMsOf, rssOf } from "../lib/proc.ts";
import { startHttpTarget } from "../lib/target.ts";
import { sleep, waitUntil } from "../lib/time.ts";
import { migratedDatabase } from "../lib/vigil-db.ts";
import type { Metric, Scenario } from "../types.ts";

/*
 * Probing shared out across a cluster (issue 16): 1, 2 and 3 headless Vigil instances
 * (server.ts, VIGIL_CLUSTER=1, one throwaway database on the machine's Postgres) watching 3,000
 * external services with one HTTP check every 10 s against a loopback target in its own process.
 * Measured per instance count over a steady window: checks/s reaching the target (the whole
 * cluster), CPU and RSS of each instance from /proc, rows written per second. Then, with three,
 * one instance is killed (`kill -9`) and the time until every service has a new result is taken
 * — detection (member TTL 6 s + a 2 s heartbeat) plus up to one 10 s interval for the first run.
 * Postgres's CPU (it carries the NOTIFY bus too) is not counted as Vigil's.
 */

const SERVICES = 3000;
const INTERVAL_S = 10;

interface Instance {
  name: string;
  child: ChildProcess;
  pid: number;
}

function startInstance(cleanup: Cleanup, name: string, config: string, dir: string, url: string): Instance {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "apps/web/server.ts"), "--config", config],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        HOST: "127.0.0.1",
        PORT: "0",
        NODE_ENV: "production",
        VIGIL_NO_UI: "1",
        VIGIL_CLUSTER: "1",
        VIGIL_NODE_NAME: name,
        VIGIL_STATE_DIR: path.join(dir, name),
        DATABASE_URL: url,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanup.add(`instance ${name}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await gone;
    clearTimeout(timer);
  });
  return { name, child, pid: child.pid ?? -1 };
}

export const cluster: Scenario = {
  name: "cluster",
  description:
    "1, 2, 3 instances × 3,000 services (HTTP / 10 s): checks/s, CPU and RSS per instance, rebalance after kill -9",
  async run({ quick }) {
    const metrics: Metric[] = [];
    const notes: string[] = [];
    let cpuOfOne = Number.NaN;
    for (const n of [1, 2, 3]) {
      try {
        const out = await withCleanup((cleanup) => runCluster(cleanup, n, quick));
        metrics.push(...out.metrics);
        notes.push(...out.notes);
        if (n === 1) cpuOfOne = out.totalCpu;
        // One instance's CPU against the cluster's total: 100 % = sharing costs nothing extra.
        else
          metrics.push(
            metric(
              `${n} instances: scaling efficiency (CPU of 1 ÷ total CPU of ${n})`,
              (cpuOfOne / out.totalCpu) * 100,
              "%",
            ),
          );
      } catch (error) {
        notes.push(`${n} instance(s) FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { metrics, notes };
  },
};

async function runCluster(
  cleanup: Cleanup,
  n: number,
  quick: boolean,
): Promise<{ metrics: Metric[]; notes: string[]; totalCpu: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-cluster-"));
  cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
  const target = await startHttpTarget(cleanup);
  const { url, db } = await migratedDatabase(cleanup, "cluster", 2);
  const config = path.join(dir, "vigil.yaml");
  await writeFile(
    config,
    fleetYaml({
      project: "bench-cluster",
      targetUrl: target.url,
      count: SERVICES,
      interval: `${INTERVAL_S}s`,
    }),
  );
  const names = Array.from({ length: n }, (_, i) => `node${i + 1}`);
  const instances = names.map((name) => startInstance(cleanup, name, config, dir, url));
  const live = async () =>
    Number(
      (
        await db.pool.query<{ n: string }>(
          "SELECT count(*) AS n FROM cluster_members WHERE last_seen > now() - interval '6 seconds'",
        )
      ).rows[0]?.n,
    );
  await waitUntil(`${n} live members`, async () => ((await live()) === n ? true : undefined), 300_000, 500);
  // Start-up (tsx compiling, the first round of checks spread over an interval) is not the steady state.
  await sleep(quick ? 20_000 : 40_000);
  const windowMs = quick ? 30_000 : 90_000;
  const rows = async () =>
    Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM probe_rows")).rows[0]?.n);
  const cpu0 = await Promise.all(instances.map((i) => cpuMsOf(i.pid)));
  const req0 = (await target.stats()).requests;
  const rows0 = await rows();
  const rss: number[][] = instances.map(() => []);
  const t0 = performance.now();
  while (performance.now() - t0 < windowMs) {
    await Promise.all(instances.map(async (inst, k) => rss[k]?.push(await rssOf(inst.pid))));
    await sleep(Math.min(5000, windowMs - (performance.now() - t0)));
  }
  const wallMs = performance.now() - t0;
  const cpu1 = await Promise.all(instances.map((i) => cpuMsOf(i.pid)));
  const req1 = (await target.stats()).requests;
  const rows1 = await rows();
  const cpu = cpu1.map((c, k) => ((c - (cpu0[k] ?? 0)) / wallMs) * 100);
  const totalCpu = cpu.reduce((a, b) => a + b, 0);
  const label = `${n} instance${n > 1 ? "s" : ""}`;
  const metrics = [
    metric(`${label}: checks/s (whole cluster)`, ((req1 - req0) / wallMs) * 1000, "checks/s"),
    metric(`${label}: rows written/s`, ((rows1 - rows0) / wallMs) * 1000, "rows/s"),
    metric(`${label}: CPU per instance (mean)`, totalCpu / n, "% of one core"),
    metric(`${label}: CPU, all instances`, totalCpu, "% of one core"),
    metric(
      `${label}: RSS per instance (max of peaks)`,
      Math.max(...rss.map((r) => Math.max(...r))) / 2 ** 20,
      "MiB",
    ),
  ];
  const notes = [
    `${label}: window ${(wallMs / 1000).toFixed(0)} s; expected ${SERVICES / INTERVAL_S} checks/s; CPU by instance ${cpu.map((c) => c.toFixed(1)).join(" / ")} % of one core; 1-min load ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
  ];
  if (n === 3) {
    const { rows: clock } = await db.pool.query<{ t: Date }>("SELECT now() AS t");
    const killedAt = clock[0]?.t ?? new Date();
    const t = performance.now();
    instances[1]?.child.kill("SIGKILL");
    const detectedMs = await waitUntil(
      "the survivors to see the kill",
      async () => ((await live()) === n - 1 ? performance.now() - t : undefined),
      60_000,
      200,
    );
    const coveredMs = await waitUntil(
      "a result of every service after the kill",
      async () => {
        const { rows: r } = await db.pool.query<{ n: string }>(
          "SELECT count(DISTINCT series_id) AS n FROM probe_rows WHERE at > $1",
          [killedAt],
        );
        return Number(r[0]?.n) >= SERVICES ? performance.now() - t : undefined;
      },
      120_000,
      250,
    );
    metrics.push(
      metric("3 instances, one killed: dead member dropped (TTL)", detectedMs / 1000, "s"),
      metric("3 instances, one killed: every service probed again", coveredMs / 1000, "s", {
        below: 10 + INTERVAL_S,
      }),
    );
    notes.push(
      `rebalance: "every service probed again" includes up to one ${INTERVAL_S} s interval before a moved check's first run on its new owner`,
    );
  }
  return { metrics, notes, totalCpu };
}
