import type { JobTask } from "./tasks/task.ts";

/** One recorded run of a job: what the job page's history and duration chart show. */
export interface JobRun {
  job: string;
  /** One trigger's id, shared by its attempts ("Run now" returns it; events carry it). */
  runId: string;
  /** "schedule", or who pressed "Run now". */
  trigger: string;
  attempt: number;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  /** `replaced`: killed for a newer run (concurrency: replace) or because the scheduler stopped. */
  outcome: "succeeded" | "failed" | "timeout" | "replaced";
  exitCode: number | null;
  signal: string | null;
  /** The last lines of stdout and stderr, interleaved as they came. */
  outputTail: string[];
}

export interface RunOnceOptions {
  job: string;
  runId: string;
  task: JobTask;
  trigger: string;
  attempt: number;
  timeoutMs: number;
  /** Aborting stops the task (a process group is killed); the run is recorded as `replaced`. */
  signal: AbortSignal;
  tailLines?: number;
}

/** Runs a job's task once under its timeout; never rejects: a failure is a run. */
export async function runOnce(opts: RunOnceOptions): Promise<JobRun> {
  const max = opts.tailLines ?? 50;
  const tail: string[] = [];
  const log = (line: string) => {
    tail.push(line);
    if (tail.length > max) tail.splice(0, tail.length - max);
  };
  let outcome: JobRun["outcome"] | undefined;
  const stop = new AbortController();
  const kill = (why: JobRun["outcome"]) => {
    outcome ??= why;
    stop.abort();
  };
  const timer = setTimeout(() => kill("timeout"), opts.timeoutMs);
  const onAbort = () => kill("replaced");
  opts.signal.addEventListener("abort", onAbort, { once: true });
  if (opts.signal.aborted) onAbort();
  const startedAt = new Date();
  let exit: { exitCode: number | null; signal: string | null };
  try {
    exit = await opts.task({ job: opts.job, signal: stop.signal, log });
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    exit = { exitCode: null, signal: null };
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener("abort", onAbort);
  }
  const endedAt = new Date();
  return {
    job: opts.job,
    runId: opts.runId,
    trigger: opts.trigger,
    attempt: opts.attempt,
    startedAt,
    endedAt,
    durationMs: endedAt.getTime() - startedAt.getTime(),
    outcome: outcome ?? (exit.exitCode === 0 ? "succeeded" : "failed"),
    exitCode: exit.exitCode,
    signal: exit.signal,
    outputTail: tail.slice(-max),
  };
}
