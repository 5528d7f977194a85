import type { JobRun } from "./run-once.ts";
import type { SkippedRun } from "./scheduler.ts";

/**
 * Where job runs are kept (packages/db implements it on Postgres). The engine reads the last start
 * of each job on start, so a run missed while Vigil was stopped follows its catch-up policy.
 */
export interface JobRunStore {
  /** When each job last started (runs and missed/skipped triggers alike), by job name. */
  lastStarts(jobs: readonly string[], signal: AbortSignal): Promise<Map<string, Date>>;
  recordRun(run: JobRun): Promise<void>;
  recordSkip(skip: SkippedRun): Promise<void>;
}
