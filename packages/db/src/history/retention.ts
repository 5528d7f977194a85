import type { Db } from "../client.ts";
import {
  adoptDefaultRows,
  dayOf,
  dropDaysBefore,
  ensureDayPartitions,
  packClosedDays,
} from "./partitions.ts";

const DAY = 86_400_000;
/** A day is closed for packing an hour after it ends: late results of that day have arrived by then. */
const LATE_WINDOW_MS = 3_600_000;

export interface RetentionOptions {
  /**
   * Raw probe results older than this go (issue default: 7 days): a day partition is dropped once
   * its whole day is older, so raw rows live up to one day longer than this.
   */
  rawMaxAgeMs: number;
  /** Minute/hour rollups older than this are deleted (issue default: 400 days). */
  rollupMaxAgeMs: number;
  /**
   * Minute rollups only serve ranges ≤ 3 days, so they may go sooner (e.g. 30 days keeps the table
   * far smaller: 60 rows per hour per check). Defaults to rollupMaxAgeMs.
   */
  minuteRollupMaxAgeMs?: number;
  /** Rows per DELETE, so pruning never holds long locks or a huge transaction. Default 5000. */
  batchSize?: number;
  /** Pause between pruning passes. Default 10 min. */
  intervalMs?: number;
  /** Upper bound on DELETE statements per table per pass. Default 1000. */
  maxBatchesPerPass?: number;
}

export interface PruneCounts {
  /** Rows deleted, plus the planner's estimate (reltuples) of rows in dropped day partitions. */
  raw: number;
  minute: number;
  hour: number;
}

export interface Retention {
  /** One full pass (small batches until nothing old is left or the per-pass bound is hit). */
  pruneOnce(): Promise<PruneCounts>;
  /** Stops the background loop; waits for the current batch to finish. */
  stop(): Promise<void>;
}

const TABLES = [
  // Raw results: whole day partitions are dropped (partitions.ts); only the default partition,
  // the safety net for a day whose partition was not made, is pruned row by row.
  ["raw", "probe_rows_default", "at", "ctid"],
  ["raw", "probe_row_extras_default", "at", "ctid"],
  // Resource samples are raw measurements, kept as long as raw results.
  ["raw", "resource_samples", "at", "id"],
  ["minute", "rollup_minute", "bucket", "ctid"],
  ["hour", "rollup_hour", "bucket", "ctid"],
  // Value rollups age with the latency rollups of the same width.
  ["minute", "rollup_value_minute", "bucket", "ctid"],
  ["hour", "rollup_value_hour", "bucket", "ctid"],
] as const;

/**
 * Day partitions of raw results: today's and the next two made ahead (rows never wait on DDL),
 * rows left in the default partition moved into their days, whole days past the age dropped,
 * closed days' keys packed.
 */
async function rawPartitions(db: Db, now: Date, maxAgeMs: number): Promise<number> {
  const client = await db.pool.connect();
  try {
    const today = dayOf(now.getTime());
    await ensureDayPartitions(client, [today, today + DAY, today + 2 * DAY]);
    await adoptDefaultRows(client);
    const cutoff = new Date(now.getTime() - maxAgeMs);
    const dropped = await dropDaysBefore(client, "probe_rows", cutoff);
    await dropDaysBefore(client, "probe_row_extras", cutoff);
    await packClosedDays(client, new Date(now.getTime() - LATE_WINDOW_MS));
    return dropped;
  } finally {
    client.release();
  }
}

/** Background pruning of raw results and rollups in small batches (abortable, bounded). */
export function createRetention(db: Db, opts: RetentionOptions, now: () => Date): Retention {
  const batchSize = opts.batchSize ?? 5_000;
  const maxBatches = opts.maxBatchesPerPass ?? 1_000;
  const abort = new AbortController();
  let current: Promise<unknown> = Promise.resolve();

  async function pruneOnce(signal?: AbortSignal): Promise<PruneCounts> {
    const counts: PruneCounts = { raw: 0, minute: 0, hour: 0 };
    for (const [key, table, col, idCol] of TABLES) {
      const maxAge =
        key === "raw"
          ? opts.rawMaxAgeMs
          : key === "minute"
            ? (opts.minuteRollupMaxAgeMs ?? opts.rollupMaxAgeMs)
            : opts.rollupMaxAgeMs;
      const cutoff = new Date(now().getTime() - maxAge).toISOString();
      for (let i = 0; i < maxBatches && !signal?.aborted; i++) {
        const res = await db.pool.query(
          `DELETE FROM ${table} WHERE ${idCol} IN (SELECT ${idCol} FROM ${table} WHERE ${col} < $1 LIMIT $2)`,
          [cutoff, batchSize],
        );
        // Extras rows belong to results already counted.
        if (table !== "probe_row_extras_default") counts[key] += res.rowCount ?? 0;
        if ((res.rowCount ?? 0) < batchSize) break;
      }
    }
    if (!signal?.aborted) counts.raw += await rawPartitions(db, now(), opts.rawMaxAgeMs);
    return counts;
  }

  const intervalMs = opts.intervalMs ?? 600_000;
  const loop = async () => {
    while (!abort.signal.aborted) {
      current = pruneOnce(abort.signal).catch(() => {});
      await current;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, intervalMs);
        t.unref();
        abort.signal.addEventListener(
          "abort",
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      });
    }
  };
  void loop();

  return {
    pruneOnce: () => pruneOnce(),
    async stop() {
      abort.abort();
      await current;
    },
  };
}
