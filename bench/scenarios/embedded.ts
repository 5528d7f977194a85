import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "../../packages/orchestrator/src/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { fleetYaml } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { repoRoot } from "../lib/paths.ts";
import { measure, pnpmStart } from "../lib/pnpm-start.ts";
import { portInUse } from "../lib/ports.ts";
import { machineCpu } from "../lib/proc.ts";
import { startHttpTarget } from "../lib/target.ts";
import { sleep } from "../lib/time.ts";
import type { Metric, Scenario } from "../types.ts";

/*
 * The default run as a new user sees it: `pnpm start` with nothing configured, so the embedded
 * Postgres (PGlite, in the Vigil process) and the demo stack. Three measurements, each of the
 * Vigil server process alone (the demo services are processes of their own, reported apart):
 *   1. the demo stack idle after 10 minutes (quick: 1 minute): RSS and CPU;
 *   2. `pnpm start` again on the unchanged checkout and the now existing data: time to /readyz;
 *   3. 1,000 HTTP services checked every 20 s, still on the embedded Postgres: RSS and CPU.
 */

const MiB = 2 ** 20;
const FLEET = 1000;
const demoConfig = path.join(repoRoot, "examples", "demo", "vigil.yaml");

export const embedded: Scenario = {
  name: "embedded",
  description: "`pnpm start` on the embedded Postgres: demo stack idle, restart time, 1,000 HTTP services",
  async run({ quick }) {
    const notes: string[] = [];
    const metrics: Metric[] = [];
    // Not timed: whatever `pnpm start` would build, it builds now, so the restart below is the
    // unchanged-checkout case.
    const b0 = performance.now();
    await promisify(execFile)("node", [path.join(repoRoot, "apps", "web", "build-if-changed.mjs")], {
      cwd: repoRoot,
      timeout: 900_000,
      maxBuffer: 32 * MiB,
    });
    notes.push(`build check before the runs: ${((performance.now() - b0) / 1000).toFixed(1)} s`);
    const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-embedded-"));
    try {
      await waitForDemoPorts();
      metrics.push(...(await demoIdle(dir, quick, notes)));
      metrics.push(...(await fleet(dir, quick, notes)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { metrics, notes };
  },
};

async function demoIdle(dir: string, quick: boolean, notes: string[]): Promise<Metric[]> {
  const settleMs = quick ? 60_000 : 420_000;
  const windowMs = quick ? 30_000 : 180_000;
  const where = { pgdata: path.join(dir, "pgdata"), stateDir: path.join(dir, "state") };
  const idle = await withCleanup(async (cleanup) => {
    const vigil = await pnpmStart(cleanup, where);
    notes.push(
      `demo: first start (new data dir, initdb + migrations) ready in ${(vigil.readyMs / 1000).toFixed(1)} s`,
    );
    await sleep(settleMs);
    const machine = await machineCpu();
    const m = await measure(vigil.pid, windowMs);
    notes.push(
      `demo: measured ${(m.wallMs / 1000).toFixed(0)} s after ${((settleMs + vigil.readyMs) / 1000).toFixed(0)} s; machine busy ${(await machine()).toFixed(0)} % of ${os.cpus().length} cores (other helpers' work included)`,
      `demo services (${m.children.count} processes, not Vigil): RSS ${(m.children.rss / MiB).toFixed(0)} MiB, CPU ${m.children.cpuPercent.toFixed(1)} % of one core`,
    );
    return m;
  });
  // Second start: unchanged checkout, existing data dir, services adopted or started again.
  const restart = await withCleanup(async (cleanup) => (await pnpmStart(cleanup, where)).readyMs);
  notes.push(
    `demo: \`pnpm start\` again on the unchanged checkout ready in ${(restart / 1000).toFixed(1)} s`,
  );
  const after = quick ? "after 1.5 min" : "after 10 min";
  return [
    metric(`demo idle: Vigil RSS ${after}`, idle.rssEnd / MiB, "MiB", { below: 180 }),
    metric("demo idle: Vigil RSS peak in window", idle.rssPeak / MiB, "MiB"),
    metric(`demo idle: Vigil CPU ${after}`, idle.cpuPercent, "% of one core", { below: 3 }),
    metric("demo: demo services' RSS (not Vigil)", idle.children.rss / MiB, "MiB"),
    metric("`pnpm start` unchanged checkout → ready", restart / 1000, "s", { below: 10 }),
  ];
}

async function fleet(dir: string, quick: boolean, notes: string[]): Promise<Metric[]> {
  const settleMs = quick ? 45_000 : 120_000;
  const windowMs = quick ? 60_000 : 300_000;
  return withCleanup(async (cleanup) => {
    const target = await startHttpTarget(cleanup);
    const config = path.join(dir, "fleet.yaml");
    await writeFile(
      config,
      fleetYaml({ project: "bench-embedded", targetUrl: target.url, count: FLEET, interval: "20s" }),
    );
    const vigil = await pnpmStart(cleanup, {
      pgdata: path.join(dir, "pgdata-fleet"),
      stateDir: path.join(dir, "state-fleet"),
      env: { VIGIL_CONFIG: config },
    });
    notes.push(`fleet: ready in ${(vigil.readyMs / 1000).toFixed(1)} s (new data dir)`);
    await sleep(settleMs);
    const req0 = (await target.stats()).requests;
    const machine = await machineCpu();
    const m = await measure(vigil.pid, windowMs);
    const req1 = (await target.stats()).requests;
    const checksPerS = ((req1 - req0) / m.wallMs) * 1000;
    notes.push(
      `fleet: ${FLEET} services every 20 s: ${checksPerS.toFixed(1)} checks/s reached the target (expected ${FLEET / 20}); window ${(m.wallMs / 1000).toFixed(0)} s after ${(settleMs / 1000).toFixed(0)} s; machine busy ${(await machine()).toFixed(0)} %`,
    );
    return [
      metric("1,000 HTTP/20 s: Vigil RSS (end)", m.rssEnd / MiB, "MiB", { below: 270 }),
      metric("1,000 HTTP/20 s: Vigil RSS (peak)", m.rssPeak / MiB, "MiB"),
      metric("1,000 HTTP/20 s: Vigil CPU", m.cpuPercent, "% of one core", { below: 20 }),
      metric("1,000 HTTP/20 s: checks", checksPerS, "/s", { atLeast: FLEET / 20 - 1 }),
    ];
  });
}

/** The demo stack's fixed ports: another Vigil running the demo would be adopted or collide. */
async function waitForDemoPorts(): Promise<void> {
  const { config } = await loadConfig({ path: demoConfig, environ: process.env });
  const ports = Object.values(config.services).flatMap((s) =>
    s.kind === "process" && s.env.PORT ? [Number(s.env.PORT)] : [],
  );
  const freeBy = Date.now() + 180_000;
  for (;;) {
    const busy: number[] = [];
    for (const port of ports) if (await portInUse(port)) busy.push(port);
    if (busy.length === 0) return;
    if (Date.now() > freeBy)
      throw new Error(`demo ports ${busy.join(", ")} stay in use: is a demo stack running?`);
    await sleep(2000);
  }
}
