import { type JobRun, type JobRunStore, runReason, type SkippedRun } from "@vigil/orchestrator";
import { abortable } from "../alerting/abortable.ts";
import type { Db } from "../client.ts";

/** One row of the job's run history, as the REST API pages it. */
export interface JobRunRow {
  runId: string;
  attempt: number;
  job: string;
  trigger: string;
  outcome: string;
  startedAt: Date;
  endedAt: Date | null;
  durationMs: number | null;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  outputTail: string[];
}

export interface JobRunHistory extends JobRunStore {
  /** Newest first; `before` (a start time) pages back. */
  list(job: string, opts: { limit: number; before?: Date }, signal: AbortSignal): Promise<JobRunRow[]>;
}

const COLUMNS =
  "run_id, attempt, job, trigger, outcome, started_at, ended_at, duration_ms, exit_code, signal, reason, output_tail";

/**
 * Job runs in Postgres (table job_runs). Writes are idempotent on (run_id, attempt), so a retried
 * write never doubles a run; a skipped trigger is attempt 0 of its run id.
 */
export function createJobRunStore(db: Pick<Db, "pool">, timeoutMs = 10_000): JobRunHistory {
  const { pool } = db;
  const bounded = (signal?: AbortSignal) =>
    signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  const insert = (values: unknown[]) =>
    abortable(
      pool.query(
        `INSERT INTO job_runs (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
         ON CONFLICT (run_id, attempt) DO NOTHING`,
        values,
      ),
      bounded(),
    ).then(() => {});
  return {
    async lastStarts(jobs, signal) {
      if (jobs.length === 0) return new Map();
      const { rows } = await abortable(
        pool.query<{ job: string; last: Date }>(
          "SELECT job, max(started_at) AS last FROM job_runs WHERE job = ANY($1) GROUP BY job",
          [jobs],
        ),
        bounded(signal),
      );
      return new Map(rows.map((r) => [r.job, r.last]));
    },
    recordRun: (run: JobRun) =>
      insert([
        run.runId,
        run.attempt,
        run.job,
        run.trigger,
        run.outcome,
        run.startedAt,
        run.endedAt,
        run.durationMs,
        run.exitCode,
        run.signal,
        run.outcome === "succeeded" ? null : runReason(run),
        run.outputTail,
      ]),
    recordSkip: (skip: SkippedRun) =>
      insert([
        skip.runId,
        0,
        skip.job,
        skip.trigger,
        skip.cause === "missed" ? "missed" : skip.cause === "overlap" ? "overlap" : "skipped",
        skip.at,
        skip.at,
        0,
        null,
        null,
        skip.reason,
        [],
      ]),
    async list(job, opts, signal) {
      const { rows } = await abortable(
        pool.query(
          `SELECT ${COLUMNS} FROM job_runs WHERE job = $1 AND ($2::timestamptz IS NULL OR started_at < $2)
           ORDER BY started_at DESC, attempt DESC LIMIT $3`,
          [job, opts.before ?? null, opts.limit],
        ),
        bounded(signal),
      );
      return rows.map(
        (r): JobRunRow => ({
          runId: r.run_id,
          attempt: r.attempt,
          job: r.job,
          trigger: r.trigger,
          outcome: r.outcome,
          startedAt: r.started_at,
          endedAt: r.ended_at,
          durationMs: r.duration_ms,
          exitCode: r.exit_code,
          signal: r.signal,
          reason: r.reason,
          outputTail: r.output_tail ?? [],
        }),
      );
    },
  };
}
