import { createHistoryStore, type Db } from "../../packages/db/src/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { copyCeiling } from "../lib/copy-ceiling.ts";
import { startCpuMeter } from "../lib/cpu.ts";
import { metric } from "../lib/metric.ts";
import { cpuMsOf } from "../lib/proc.ts";
import { rawRowOf, resultOf, SERVICES } from "../lib/results-1k.ts";
import { sleep } from "../lib/time.ts";
import { migratedDatabase } from "../lib/vigil-db.ts";
import type { Scenario } from "../types.ts";

/*
 * Probe results into Postgres through the real history writer (createHistoryStore: batched
 * multi-row inserts with minute and hour rollup upserts in the same transaction), on a migrated
 * throwaway database. Results are offered as fast as the writer drains them, with backpressure on
 * its queue depth so nothing is dropped; rows/s = rows committed / time until the final flush.
 */

// Above the writer's batch (its in-flight chunk counts in the depth), or offering stops for every
// write and producing and writing take turns; below the store's 100,000 bound, so nothing drops.
const MAX_QUEUE = 60_000;
/** The store's default batchSize on a Postgres that takes COPY, for the ceiling's transactions. */
const DEFAULT_BATCH = 20_000;

export const ingest: Scenario = {
  name: "ingest",
  description: "probe results into Postgres through the real batched history writer: rows/s",
  async run({ quick }) {
    const total = quick ? 50_000 : 300_000;
    const base = await ingestOnce(total, undefined);
    // The same writer with the former default batch: how much of the cost is per transaction.
    const small = await ingestOnce(total, 500);
    const t0 = Date.now() - total * 10;
    const ceiling = await withCleanup((cleanup) =>
      copyCeiling(cleanup, (i) => rawRowOf(t0, i), total, DEFAULT_BATCH),
    );
    return {
      metrics: [
        metric(`rows/s through the writer (default batch ${DEFAULT_BATCH})`, base.rowsPerS, "rows/s", {
          atLeast: 100_000,
        }),
        metric("Vigil CPU while ingesting", base.cpuPercent, "% of one core"),
        metric(
          "Postgres CPU while ingesting (its backends for this database)",
          base.pgCpuPercent,
          "% of one core",
        ),
        metric("rows/s with batchSize 500", small.rowsPerS, "rows/s"),
        metric("ceiling: the same rows as bare binary COPY into probe_rows", ceiling.keyed, "rows/s"),
        metric("ceiling: … into a table without its key", ceiling.bare, "rows/s"),
      ],
      notes: [
        ...base.notes,
        ...small.notes,
        "Postgres's CPU counts the backends serving the bench database, not its WAL writer or checkpointer",
      ],
    };
  },
};

async function ingestOnce(
  total: number,
  batchSize: number | undefined,
): Promise<{ rowsPerS: number; cpuPercent: number; pgCpuPercent: number; notes: string[] }> {
  return withCleanup(async (cleanup) => {
    const { db, name } = await migratedDatabase(cleanup, "ingest");
    const store = createHistoryStore({ db, ...(batchSize === undefined ? {} : { batchSize }) });
    cleanup.add("history store", () => store.close(30_000));

    const t0 = Date.now() - total * 10;
    const result = (i: number) => resultOf(t0, i);

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
    // The pool opens its connections on the writer's first batch, so their backends' CPU is the run's.
    const pgCpuMs = await backendsCpuMs(db.pool, name);
    const stats = store.stats();
    const rows = Number(
      (await db.pool.query<{ n: string }>("select count(*) as n from probe_results")).rows[0]?.n,
    );
    const inRollups = (await db.pool.query<{ n: string | null }>("select sum(count) as n from rollup_minute"))
      .rows[0]?.n;
    return {
      rowsPerS: rows / seconds,
      cpuPercent: used.cpuPercent,
      pgCpuPercent: (pgCpuMs / used.wallMs) * 100,
      notes: [
        `batch ${batchSize ?? `default (${DEFAULT_BATCH})`}: ${total} results from ${SERVICES} services in ${seconds.toFixed(1)} s; ${rows} rows in probe_results, ${inRollups} counted in minute rollups, ${stats.batches} transactions, ${store.health().dropped} dropped; queue depth peaked at ${maxDepth} (offering pauses above ${MAX_QUEUE})`,
      ],
    };
  });
}

/** CPU time (ms) of the Postgres backends connected to `database` (same machine, read from /proc). */
async function backendsCpuMs(pool: Db["pool"], database: string): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [
    database,
  ]);
  let total = 0;
  for (const { pid } of rows) total += await cpuMsOf(pid);
  return total;
}
