import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { withCleanup } from "../lib/cleanup.ts";
import { type FleetOptions, fleetYaml } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { pool } from "../lib/pg.ts";
import { cpuMsOf, machineCpu, rssOf } from "../lib/proc.ts";
import { startActionAndWait } from "../lib/server-actions.ts";
import { type HttpTarget, startHttpTarget } from "../lib/target.ts";
import { sleep } from "../lib/time.ts";
import { signIn, startOnStableBuild } from "../lib/web-server.ts";
import type { Metric, Scenario } from "../types.ts";

/*
 * A deployment's steady state: the built Vigil (Next, sockets, engine, history writer in one
 * process, as `pnpm start` runs it) watching a fleet with one HTTP check per service every 10 s.
 * Its CPU and RSS come from /proc; database growth from the database's size and probe_results'
 * row count over the window, extrapolated to a day (before retention: raw rows are pruned after
 * 7 days by default). Postgres's own CPU is not Vigil's and is not counted.
 *
 * Variants (all run by default; BENCH_SCALE=1k,10k,sampling picks some):
 * - 1k: 1,000 external services, the first round's fleet, its metric names unchanged;
 * - 10k: 10,000 external services (issue 20: < 25 % of one core, RSS < 400 MB steady);
 * - sampling: 1,000 process services (`sleep`, started through the API) with resource sampling
 *   on (settings.resource_interval 5 s, the default) and then off (0) — issue 17's CPU cost.
 */

interface Variant {
  key: string;
  /** Metric name prefix; "" keeps the first round's names. */
  label: string;
  services: number;
  warmupMs: number;
  windowMs: number;
  fleet?: Partial<FleetOptions>;
  /** Start every (process) service through the API before the warm-up. */
  startAll?: boolean;
  cpuBelow?: number;
  rssBelow?: number;
}

function variants(quick: boolean): Variant[] {
  const short = quick ? 30_000 : 120_000;
  const sleepCmd = { processCommand: ["sleep", "1200"] };
  return [
    {
      key: "1k",
      label: "",
      services: 1000,
      warmupMs: quick ? 15_000 : 30_000,
      windowMs: quick ? 30_000 : 300_000,
      cpuBelow: 10,
      rssBelow: 300,
    },
    {
      key: "10k",
      label: "10,000 services: ",
      services: 10_000,
      warmupMs: quick ? 30_000 : 60_000,
      windowMs: short,
      cpuBelow: 25,
      rssBelow: 400,
    },
    {
      key: "sampling",
      label: "1,000 process services, sampling on: ",
      services: 1000,
      warmupMs: 30_000,
      windowMs: short,
      fleet: { ...sleepCmd, resourceInterval: "5s" },
      startAll: true,
    },
    {
      key: "sampling",
      label: "1,000 process services, sampling off: ",
      services: 1000,
      warmupMs: 30_000,
      windowMs: short,
      fleet: { ...sleepCmd, resourceInterval: "0" },
      startAll: true,
    },
  ];
}

export const scale: Scenario = {
  name: "scale",
  description:
    "1,000 and 10,000 services × 1 HTTP check every 10 s (and 1,000 processes, sampling on/off): CPU, RSS, DB growth",
  async run({ quick }) {
    const wanted = (process.env.BENCH_SCALE ?? "").split(",").filter((k) => k !== "");
    const chosen = variants(quick).filter((v) => wanted.length === 0 || wanted.includes(v.key));
    const metrics: Metric[] = [];
    const notes: string[] = [];
    for (const variant of chosen) {
      const label = variant.label || "1,000 services: ";
      try {
        const out = await withCleanup(async (cleanup) => {
          const target = await startHttpTarget(cleanup);
          return runVariant(cleanup, target, variant, quick);
        });
        metrics.push(...out.metrics);
        notes.push(...out.notes.map((n) => `${label}${n}`));
      } catch (error) {
        // One variant failing (a sign-in timing out on a loaded machine) keeps the others' numbers.
        notes.push(`${label}FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { metrics, notes };
  },
};

async function runVariant(
  cleanup: Parameters<Parameters<typeof withCleanup>[0]>[0],
  target: HttpTarget,
  v: Variant,
  quick: boolean,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-scale-"));
  cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
  // Runs after the server is gone (no restart policy left to revive them): whatever process
  // services the stop action did not end in time (cleanup steps are capped at 30 s).
  cleanup.add("kill leftover process services", () => killProcessesIn(dir));
  const password = randomBytes(12).toString("hex");
  const { server, note } = await startOnStableBuild(cleanup, {
    dir,
    configYaml: fleetYaml({
      project: "bench-scale",
      targetUrl: target.url,
      count: v.services,
      interval: "10s",
      ...v.fleet,
    }),
    ...(v.startAll ? { env: { VIGIL_ADMIN_USER: "bench", VIGIL_ADMIN_PASSWORD: password } } : {}),
  });
  const notes = [note];
  if (v.startAll) {
    const cookies = await signInPatiently(server.url, password);
    // Registered before the start so a failed or slow start still stops what did start.
    cleanup.add("stop process services", () => startActionAndWait(server.url, cookies, "stop", 180_000));
    const started = await startActionAndWait(server.url, cookies, "start", 600_000);
    notes.push(`started ${v.services} process services through POST /api/actions: ${started}`);
  }
  const db = pool(server.database, 1);
  cleanup.add("db pool", () => db.end());
  const dbState = async () => {
    const size = await db.query<{ bytes: string }>("select pg_database_size(current_database()) as bytes");
    const rows = await db.query<{ n: string | null }>("select sum(n_tup_ins) as n from pg_stat_user_tables");
    return { bytes: Number(size.rows[0]?.bytes ?? 0), rows: Number(rows.rows[0]?.n ?? 0) };
  };

  // Start-up (Next preparing, first round of checks, first batches) is not the steady state.
  await sleep(v.warmupMs);
  const rss: number[] = [];
  const load0 = os.loadavg()[0] ?? 0;
  const machine = await machineCpu();
  const cpu0 = await cpuMsOf(server.pid);
  const db0 = await dbState();
  const req0 = (await target.stats()).requests;
  const t0 = performance.now();
  while (performance.now() - t0 < v.windowMs) {
    rss.push(await rssOf(server.pid));
    await sleep(Math.min(5000, v.windowMs - (performance.now() - t0)));
  }
  const wallMs = performance.now() - t0;
  const cpu1 = await cpuMsOf(server.pid);
  rss.push(await rssOf(server.pid));
  const db1 = await dbState();
  const req1 = (await target.stats()).requests;
  const machineBusy = await machine();

  const perDay = 86_400_000 / wallMs;
  const cpuPercent = ((cpu1 - cpu0) / wallMs) * 100;
  const checksPerS = ((req1 - req0) / wallMs) * 1000;
  notes.push(
    `window ${(wallMs / 1000).toFixed(0)} s after ${(v.warmupMs / 1000).toFixed(0)} s warm-up; ${checksPerS.toFixed(1)} checks/s reached the target (expected ${v.services / 10}); 1-min load ${load0.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
    `database grew ${((db1.bytes - db0.bytes) / 1024).toFixed(0)} KiB and probe_results by ${db1.rows - db0.rows} rows in the window (size includes indexes and minute/hour rollups; WAL not counted)`,
    `machine CPU busy over the window: ${machineBusy.toFixed(0)} % of all ${os.cpus().length} cores (Vigil, Postgres, the target, and anything else running)`,
    "process measured: node apps/web/dist/server.js (NODE_ENV=production), Next included; Postgres CPU not included",
  );
  const l = v.label;
  const steady = (rss.at(-1) ?? 0) / 2 ** 20;
  return {
    metrics: [
      metric(
        `${l}Vigil CPU`,
        cpuPercent,
        "% of one core",
        v.cpuBelow === undefined ? undefined : { below: v.cpuBelow },
      ),
      metric(
        `${l}Vigil RSS (peak)`,
        Math.max(...rss) / 2 ** 20,
        "MiB",
        v.rssBelow === undefined ? undefined : { below: v.rssBelow },
      ),
      metric(`${l}Vigil RSS (end)`, steady, "MiB"),
      // A steady state should not grow; a leak shows here long before it shows as a crash.
      // Only over the full window: 30 s right after start-up would extrapolate the warm-up.
      ...(quick
        ? []
        : [
            metric(
              `${l}RSS growth over the window`,
              (((rss.at(-1) ?? 0) - (rss[0] ?? 0)) / 2 ** 20) * (3_600_000 / wallMs),
              "MiB/h",
            ),
          ]),
      metric(`${l}DB growth (size, extrapolated)`, ((db1.bytes - db0.bytes) * perDay) / 2 ** 20, "MiB/day"),
      metric(`${l}raw results written (extrapolated)`, (db1.rows - db0.rows) * perDay, "rows/day"),
    ],
    notes,
  };
}

/** Sign-in hashes a password on a server checking a fleet: on a loaded machine give it three tries. */
async function signInPatiently(url: string, password: string): ReturnType<typeof signIn> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await signIn(url, "bench", password);
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(2000);
    }
  }
}

/** SIGKILLs every process whose working directory is `dir` (the fleet's processes run there). */
async function killProcessesIn(dir: string): Promise<number> {
  let killed = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if (cwd !== dir && cwd !== `${dir} (deleted)`) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
      killed++;
    } catch {
      // Gone already.
    }
  }
  return killed;
}
