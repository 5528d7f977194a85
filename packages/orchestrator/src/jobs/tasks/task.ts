/*
 * What a job runs, as one family: a command, a one-off container, a backup template, a restore
 * drill. The run wrapper (run-once.ts) owns the timeout, the abort and the output tail; a task only
 * does its work, stops when `signal` aborts, and reports how it ended.
 */

export interface TaskContext {
  job: string;
  /** Aborted at the job's timeout, when a newer run replaces this one, or when Vigil stops. */
  signal: AbortSignal;
  /** One line of output for the run's tail (already split; secrets the task knows are masked). */
  log(line: string, stream?: "stdout" | "stderr"): void;
}

/** How a task ended; a thrown error is a failed run whose message goes to the tail. */
export interface TaskExit {
  exitCode: number | null;
  signal: string | null;
}

export type JobTask = (ctx: TaskContext) => Promise<TaskExit>;
