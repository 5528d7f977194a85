import {
  adoptDefaultRows,
  dropDaysBefore,
  packClosedDays,
} from "../../packages/db/src/history/partitions.ts";
import { createHistoryStore } from "../../packages/db/src/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { metric } from "../lib/metric.ts";
import { resultOf, SERVICES } from "../lib/results-1k.ts";
import { sleep } from "../lib/time.ts";
import { migratedDatabase } from "../lib/vigil-db.ts";
import type { Scenario } from "../types.ts";

/*
 * Bytes a stored raw result costs, table + indexes (pg_total_relation_size over every day
 * partition of probe_rows and probe_row_extras), after results written through the real writer
 * in the order checks produce them (1,000 services, one check each, every 10 s). The same rows
 * copied into the former layout (uuid, text columns, three indexes) give the "before" number on
 * the same data. Then the same rows once their day is closed and retention has packed its key
 * (packClosedDays: heap ordered by the key, the key swapped for a series_id index): what every
 * day but today costs. Retention: the time to drop one day partition
 * of a small and of a 10× bigger day, which must not grow with the day's rows (constant time, not
 * a DELETE).
 */

const DAY = 86_400_000;

const OLD_LAYOUT = `
CREATE TABLE old_layout (
  id BIGSERIAL PRIMARY KEY, uid UUID NOT NULL UNIQUE, service TEXT NOT NULL, "check" TEXT NOT NULL,
  at TIMESTAMPTZ(3) NOT NULL, status TEXT NOT NULL, latency_ms DOUBLE PRECISION, message TEXT,
  detail JSONB, value_map JSONB)`;
const OLD_INDEXES = [
  `CREATE INDEX ON old_layout (service, "check", at)`,
  "CREATE INDEX ON old_layout (service, at)",
  "CREATE INDEX ON old_layout (at)",
];

const PARTITION_BYTES = `
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::float8 AS total,
       coalesce(sum(pg_relation_size(c.oid)), 0)::float8 AS heap
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent IN ('probe_rows'::regclass, 'probe_row_extras'::regclass)`;

export const storage: Scenario = {
  name: "storage",
  description: "bytes per stored raw result (table + indexes) and the time to drop a day of raw results",
  async run({ quick }) {
    const total = quick ? 100_000 : 1_000_000;
    return withCleanup(async (cleanup) => {
      const { db } = await migratedDatabase(cleanup, "storage");
      const store = createHistoryStore({ db });
      cleanup.add("history store", () => store.close(30_000));
      const t0 = Date.UTC(2026, 10, 20);
      const result = (i: number) => resultOf(t0, i);
      for (let i = 0; i < total; ) {
        if (store.health().queueDepth > 20_000) {
          await sleep(2);
          continue;
        }
        const until = Math.min(total, i + 1000);
        for (; i < until; i++) store.recordResult(result(i));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await store.flush();
      const q = <T extends object>(sql: string) => db.pool.query<T>(sql).then((r) => r.rows);
      const [rowsRow] = await q<{ n: number }>("SELECT count(*)::int AS n FROM probe_rows");
      const rows = rowsRow?.n ?? 0;
      const [lean] = await q<{ total: number; heap: number }>(PARTITION_BYTES);
      const packing = await db.pool.connect();
      let packMs = 0;
      try {
        const started = performance.now();
        await packClosedDays(packing, new Date(t0 + 2 * DAY));
        packMs = performance.now() - started;
      } finally {
        packing.release();
      }
      const [closed] = await q<{ total: number; heap: number }>(PARTITION_BYTES);
      const [dicts] = await q<{ b: number }>(
        "SELECT (pg_total_relation_size('series') + pg_total_relation_size('reasons'))::float8 AS b",
      );

      // The same rows in the former layout, for the before/after on identical data.
      await db.pool.query(OLD_LAYOUT);
      for (const ix of OLD_INDEXES) await db.pool.query(ix);
      await db.pool.query(
        `INSERT INTO old_layout (uid, service, "check", at, status, latency_ms, message)
         SELECT gen_random_uuid(), service, "check", at, status, latency_ms, message FROM probe_results ORDER BY at`,
      );
      const [old] = await q<{ b: number }>("SELECT pg_total_relation_size('old_layout')::float8 AS b");
      await db.pool.query("DROP TABLE old_layout");

      // Retention: drop a day of 10 % of the rows and a day of all of them, copied to two old days.
      const dropTimes: { rows: number; ms: number }[] = [];
      for (const [k, share] of [
        [60, 0.1],
        [61, 1],
      ] as const) {
        const day = new Date(t0 - k * DAY).toISOString();
        const copied = await db.pool.query(
          `INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id)
           SELECT series_id, $1::timestamptz + (at - date_trunc('day', at)), status, latency_us, reason_id
           FROM probe_rows WHERE at >= $2 AND at < $3 AND random() < $4 ON CONFLICT DO NOTHING`,
          [day, new Date(t0).toISOString(), new Date(t0 + DAY).toISOString(), share],
        );
        // The copy landed in the default partition: give it its day first.
        const client = await db.pool.connect();
        try {
          await adoptDefaultRows(client);
          const started = performance.now();
          await dropDaysBefore(client, "probe_rows", new Date(t0 - (k - 1) * DAY));
          dropTimes.push({ rows: copied.rowCount ?? 0, ms: performance.now() - started });
        } finally {
          client.release();
        }
      }
      const perRow = (lean?.total ?? 0) / rows;
      return {
        metrics: [
          metric("bytes per raw result (table + indexes)", perRow, "bytes", { below: 80 }),
          metric("bytes per raw result, heap only", (lean?.heap ?? 0) / rows, "bytes"),
          metric(
            "bytes per raw result once the day is closed (key packed)",
            (closed?.total ?? 0) / rows,
            "bytes",
            {
              below: 80,
            },
          ),
          metric("bytes per raw result, former layout (same rows)", (old?.b ?? 0) / rows, "bytes"),
          ...dropTimes.map((d) => metric(`drop a day of ${d.rows} raw results`, d.ms, "ms", { below: 1000 })),
        ],
        notes: [
          `${rows} raw rows from ${SERVICES} services written through the writer (1 check each, 10 s apart, ${(total / SERVICES) * 10} s of history)`,
          `probe_rows + probe_row_extras partitions ${((lean?.total ?? 0) / 2 ** 20).toFixed(1)} MiB, heap ${((lean?.heap ?? 0) / 2 ** 20).toFixed(1)} MiB; series + reasons dictionaries ${((dicts?.b ?? 0) / 1024).toFixed(0)} KiB (not per row)`,
          `former layout on the same rows: ${((old?.b ?? 0) / 2 ** 20).toFixed(1)} MiB`,
          `packing the closed day (probe_rows: CLUSTER by (series_id, at), series_id index built and the key dropped concurrently) took ${packMs.toFixed(0)} ms`,
          `day drops: ${dropTimes.map((d) => `${d.rows} rows in ${d.ms.toFixed(1)} ms`).join(", ")} (catalog work only: the time does not grow with the rows)`,
        ],
      };
    });
  },
};
