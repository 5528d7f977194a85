import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { withCleanup } from "../lib/cleanup.ts";
import { fleetYaml } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { pool } from "../lib/pg.ts";
import { cpuMsOf, machineCpu, rssOf } from "../lib/proc.ts";
import { startHttpTarget } from "../lib/target.ts";
import { sleep } from "../lib/time.ts";
import { startOnStableBuild } from "../lib/web-server.ts";
import type { Scenario } from "../types.ts";

/*
 * A deployment's steady state: the built Vigil (Next, sockets, engine, history writer in one
 * process, as `pnpm start` runs it) watching 1,000 services with one HTTP check each every 10 s.
 * Its CPU and RSS come from /proc; database growth from the database's size and probe_results'
 * row count over the window, extrapolated to a day (before retention: raw rows are pruned after
 * 7 days by default). Postgres's own CPU is not Vigil's and is not counted.
 */

const SERVICES = 1000;

export const scale: Scenario = {
  name: "scale",
  description: `${SERVICES} services × 1 HTTP check every 10 s: Vigil's CPU, RSS and DB growth per day`,
  async run({ quick }) {
    const warmupMs = quick ? 15_000 : 30_000;
    const windowMs = quick ? 30_000 : 300_000;
    return withCleanup(async (cleanup) => {
      const target = await startHttpTarget(cleanup);
      const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-scale-"));
      cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
      const { server, note } = await startOnStableBuild(cleanup, {
        dir,
        configYaml: fleetYaml({
          project: "bench-scale",
          targetUrl: target.url,
          count: SERVICES,
          interval: "10s",
        }),
      });
      const notes = [note];
      const db = pool(server.database, 1);
      cleanup.add("db pool", () => db.end());
      const dbState = async () => {
        const size = await db.query<{ bytes: string }>(
          "select pg_database_size(current_database()) as bytes",
        );
        const rows = await db.query<{ n: string | null }>(
          "select sum(n_tup_ins) as n from pg_stat_user_tables",
        );
        return { bytes: Number(size.rows[0]?.bytes ?? 0), rows: Number(rows.rows[0]?.n ?? 0) };
      };

      // Start-up (Next preparing, first round of checks, first batches) is not the steady state.
      await sleep(warmupMs);
      const rss: number[] = [];
      const machine = await machineCpu();
      const cpu0 = await cpuMsOf(server.pid);
      const db0 = await dbState();
      const req0 = (await target.stats()).requests;
      const t0 = performance.now();
      while (performance.now() - t0 < windowMs) {
        rss.push(await rssOf(server.pid));
        await sleep(Math.min(5000, windowMs - (performance.now() - t0)));
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
        `window ${(wallMs / 1000).toFixed(0)} s after ${(warmupMs / 1000).toFixed(0)} s warm-up; ${checksPerS.toFixed(1)} checks/s reached the target (expected ${SERVICES / 10})`,
        `database grew ${((db1.bytes - db0.bytes) / 1024).toFixed(0)} KiB and probe_results by ${db1.rows - db0.rows} rows in the window (size includes indexes and minute/hour rollups; WAL not counted)`,
        `machine CPU busy over the window: ${machineBusy.toFixed(0)} % of all ${os.cpus().length} cores (Vigil, Postgres, the target, and anything else running)`,
        "process measured: node apps/web/dist/server.js (NODE_ENV=production), Next included; Postgres CPU not included",
      );
      return {
        metrics: [
          metric("Vigil CPU", cpuPercent, "% of one core", { below: 10 }),
          metric("Vigil RSS (peak)", Math.max(...rss) / 2 ** 20, "MiB", { below: 300 }),
          metric("Vigil RSS (end)", (rss.at(-1) ?? 0) / 2 ** 20, "MiB"),
          // A steady state should not grow; a leak shows here long before it shows as a crash.
          // Only over the full window: 30 s right after start-up would extrapolate the warm-up.
          ...(quick
            ? []
            : [
                metric(
                  "RSS growth over the window",
                  (((rss.at(-1) ?? 0) - (rss[0] ?? 0)) / 2 ** 20) * (3_600_000 / wallMs),
                  "MiB/h",
                ),
              ]),
          metric("DB growth (size, extrapolated)", ((db1.bytes - db0.bytes) * perDay) / 2 ** 20, "MiB/day"),
          metric("raw results written (extrapolated)", (db1.rows - db0.rows) * perDay, "rows/day"),
        ],
        notes,
      };
    });
  },
};
