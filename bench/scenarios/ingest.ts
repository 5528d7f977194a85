import { createHistoryStore, type ResultInput } from "../../packages/db/src/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { startCpuMeter } from "../lib/cpu.ts";
import { metric } from "../lib/metric.ts";
import { sleep } from "../lib/time.ts";
import { migratedDatabase } from "../lib/vigil-db.ts";
import type { Scenario } from "../types.ts";

/*
 * Probe results into Postgres through the real history writer (createHistoryStore: batched
 * multi-row inserts with minute and hour rollup upserts in the same transaction), on a migrated
 * throwaway database. Results are offered as fast as the writer drains them, with backpressure on
 * its queue depth so nothing is dropped; rows/s = rows committed / time until the final flush.
 */

const SERVICES = 1000;
const MAX_QUEUE = 20_000;

export const ingest: Scenario = {
  name: "ingest",
  description: "probe results into Postgres through the real batched history writer: rows/s",
  async run({ quick }) {
    const total = quick ? 50_000 : 300_000;
    const base = await ingestOnce(total, undefined);
    // The same writer with the former default batch: how much of the cost is per transaction.
    const small = await ingestOnce(total, 500);
    return {
      metrics: [
        metric("rows/s through the writer (default batch 5000)", base.rowsPerS, "rows/s", {
          atLeast: 20_000,
        }),
        metric("Vigil CPU while ingesting", base.cpuPercent, "% of one core"),
        metric("rows/s with batchSize 500", small.rowsPerS, "rows/s"),
      ],
      notes: [...base.notes, ...small.notes, "Postgres's own CPU is not included"],
    };
  },
};

async function ingestOnce(
  total: number,
  batchSize: number | undefined,
): Promise<{ rowsPerS: number; cpuPercent: number; notes: string[] }> {
  return withCleanup(async (cleanup) => {
    const { db } = await migratedDatabase(cleanup, "ingest");
    const store = createHistoryStore({ db, ...(batchSize === undefined ? {} : { batchSize }) });
    cleanup.add("history store", () => store.close(30_000));

    // Times advance 10 ms per result: 1,000 services every 10 s, so rollup buckets fill as in life.
    const t0 = Date.now() - total * 10;
    const result = (i: number): ResultInput => {
      const unhealthy = i % 997 === 0;
      return {
        service: `svc-${String(i % SERVICES).padStart(4, "0")}`,
        check: "health",
        at: new Date(t0 + i * 10),
        status: unhealthy ? "unhealthy" : "healthy",
        latencyMs: unhealthy ? null : 0.5 + ((i * 7919) % 4000) / 1000,
        message: unhealthy ? "connect ECONNREFUSED 127.0.0.1:8080" : "HTTP 200",
      };
    };

    const cpu = startCpuMeter();
    const started = performance.now();
    let offered = 0;
    let maxDepth = 0;
    while (offered < total) {
      const depth = store.health().queueDepth;
      maxDepth = Math.max(maxDepth, depth);
      if (depth > MAX_QUEUE) {
        await sleep(2);
        continue;
      }
      const until = Math.min(total, offered + 1000);
      for (; offered < until; offered++) store.recordResult(result(offered));
      // Let the writer's batches go out between bursts, as probe results arrive between ticks.
      await new Promise((resolve) => setImmediate(resolve));
      if (performance.now() - started > 600_000) throw new Error("ingest did not finish within 10 minutes");
    }
    await store.flush();
    const seconds = (performance.now() - started) / 1000;
    const used = cpu();
    const stats = store.stats();
    const rows = Number(
      (await db.pool.query<{ n: string }>("select count(*) as n from probe_results")).rows[0]?.n,
    );
    const inRollups = (await db.pool.query<{ n: string | null }>("select sum(count) as n from rollup_minute"))
      .rows[0]?.n;
    return {
      rowsPerS: rows / seconds,
      cpuPercent: used.cpuPercent,
      notes: [
        `batch ${batchSize ?? "default (5000)"}: ${total} results from ${SERVICES} services in ${seconds.toFixed(1)} s; ${rows} rows in probe_results, ${inRollups} counted in minute rollups, ${stats.batches} transactions, ${store.health().dropped} dropped; queue depth peaked at ${maxDepth} (offering pauses above ${MAX_QUEUE})`,
      ],
    };
  });
}
