import type { Db } from "../client.ts";

export interface RetentionOptions {
  /** Raw probe results older than this are deleted (issue default: 7 days). */
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
  ["raw", "probe_results", "at", "id"],
  ["minute", "rollup_minute", "bucket", "ctid"],
  ["hour", "rollup_hour", "bucket", "ctid"],
] as const;

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
        counts[key] += res.rowCount ?? 0;
        if ((res.rowCount ?? 0) < batchSize) break;
      }
    }
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
