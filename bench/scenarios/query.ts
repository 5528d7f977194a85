import { packClosedDays } from "../../packages/db/src/history/partitions.ts";
import { createHistoryStore } from "../../packages/db/src/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { fillHistory, serviceName } from "../lib/history-fill.ts";
import { metric } from "../lib/metric.ts";
import { percentile } from "../lib/stats.ts";
import { migratedDatabase } from "../lib/vigil-db.ts";
import type { Metric, Scenario } from "../types.ts";

/*
 * History charts for one service out of a big raw table: 30 days of results for 10 services
 * (100 M rows in full mode, issue 20's scale, one service holding a tenth), rollups built by
 * set-based SQL equal to the writer's (see lib/history-fill.ts), then the store's own history()
 * repeated per range with resolution "auto" (24 h → minute rollups, 30 d → hour rollups, 2 h →
 * raw rows). Metric names carry the raw row count actually loaded.
 */

const SERVICES = 10;
const DAY = 86_400_000;

export const query: Scenario = {
  name: "query",
  description: "24 h and 30 d latency percentiles for one service over a 100 M-row table: p95 via history()",
  async run({ quick }) {
    const rows = quick ? 200_000 : 100_000_000;
    const repeats = quick ? 10 : 40;
    return withCleanup(async (cleanup) => {
      const { db } = await migratedDatabase(cleanup, "query");
      const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      // Every day but today is closed: retention would have packed it an hour after it ended.
      const closedBefore = new Date(end.getTime() - 3_600_000);
      const progress: string[] = [];
      const fill = await fillHistory(
        db.pool,
        {
          services: SERVICES,
          rows,
          spanMs: 30 * DAY,
          end,
          // 100 M rows took about 5 minutes on two days at a time here (BENCHMARKS.md).
          budgetMs: quick ? 60_000 : 1_500_000,
          closedBefore,
          parallel: 2,
        },
        (line) => {
          progress.push(line);
          console.log(`  ${line}`);
        },
      );
      // The fill wrote closed days in key order without a key, so this builds their series_id indexes.
      const packing = await db.pool.connect();
      const packStarted = performance.now();
      try {
        await packClosedDays(packing, closedBefore);
      } finally {
        packing.release();
      }
      const packMs = performance.now() - packStarted;
      const store = createHistoryStore({ db });
      cleanup.add("history store", () => store.close(5000));
      const service = serviceName(0);

      const ranges = [
        { label: "24 h", spanMs: DAY, target: 50 },
        // Issue 20: a 30-day chart in < 20 ms on 100 M raw rows.
        { label: "30 d", spanMs: 30 * DAY, target: 20 },
        { label: "2 h (raw rows)", spanMs: 2 * 3_600_000 },
        // One service's raw rows on a closed (packed) day, three days back.
        { label: "2 h raw rows of a closed day", spanMs: 2 * 3_600_000, back: 3 * DAY },
        { label: "24 h raw rows of a closed day", spanMs: DAY, back: 3 * DAY },
      ];
      const metrics: Metric[] = [];
      const scale = `${Number((fill.rows / 1e6).toFixed(1))} M raw rows`;
      const notes: string[] = [];
      for (const range of ranges) {
        const to = new Date(end.getTime() - (range.back ?? 0));
        const from = new Date(to.getTime() - range.spanMs);
        const resolution = range.back === undefined ? "auto" : "raw";
        const once = async () => {
          const t = performance.now();
          const out = await store.history({ service, from, to, resolution });
          return { ms: performance.now() - t, out };
        };
        const first = await once();
        await once();
        const times: number[] = [];
        for (let i = 0; i < repeats; i++) times.push((await once()).ms);
        metrics.push(
          metric(
            `${range.label} history p95 (${scale})`,
            percentile(times, 95),
            "ms",
            range.target ? { below: range.target } : undefined,
          ),
        );
        notes.push(
          `${range.label}: resolution ${first.out.resolution}, ${first.out.points.length} points; first query ${first.ms.toFixed(1)} ms, then p50 ${percentile(times, 50).toFixed(1)} / p95 ${percentile(times, 95).toFixed(1)} / max ${Math.max(...times).toFixed(1)} ms over ${repeats}`,
        );
      }
      const size = (
        await db.pool.query<{ bytes: string }>(
          `select sum(pg_total_relation_size(c.oid)) as bytes from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'probe_rows'::regclass`,
        )
      ).rows[0]?.bytes;
      notes.unshift(
        `${fill.rows} raw rows (${SERVICES} services, 30 days; ${service} holds ${Math.round(fill.rows / SERVICES)}), probe_rows ${(Number(size) / 2 ** 30).toFixed(2)} GiB with indexes (${(Number(size) / fill.rows).toFixed(1)} bytes a row)`,
        `generation: ${Object.entries(fill.phases)
          .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(0)} s`)
          .join(", ")}`,
      );
      const sparkTimes: number[] = [];
      const services = Array.from({ length: SERVICES }, (_, i) => serviceName(i));
      for (let i = 0; i < repeats + 2; i++) {
        const t = performance.now();
        await store.sparklines(services, 30);
        if (i >= 2) sparkTimes.push(performance.now() - t);
      }
      metrics.push(metric(`sparklines of all ${SERVICES} services p95`, percentile(sparkTimes, 95), "ms"));
      notes.push(
        `closed days packed (packClosedDays) after the fill in ${(packMs / 1000).toFixed(1)} s: written in key order by the fill, they needed only their series_id index`,
      );
      if (fill.rows < rows)
        notes.unshift(`only ${fill.rows} of ${rows} rows generated within the time budget`);
      return { metrics, notes };
    });
  },
};
