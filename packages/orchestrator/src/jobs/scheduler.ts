import { randomUUID } from "node:crypto";
import { Cron } from "croner";
import { type JobRun, runOnce } from "./run-once.ts";
import { type TaskSpec, taskFor } from "./tasks/registry.ts";

export interface JobSpec {
  /** What a run does: a command, a container, a backup template or a restore drill. */
  task: TaskSpec;
  /** Cron expression (5 or 6 fields), read in `timezone`. */
  schedule: string;
  timezone?: string;
  timeoutMs: number;
  /** Extra attempts after a failed or timed-out run. */
  retries: number;
  /** What a trigger does while a run is in flight (as Kubernetes CronJobs). */
  concurrency: "forbid" | "replace" | "allow";
  /** Runs missed while Vigil was down: run once at start, or skip them (reported either way). */
  catchUp: "run-once" | "skip";
  /** Services that must be healthy before a run; otherwise the trigger is skipped with the reason. */
  dependsOn?: readonly string[];
}

/** Waits (bounded by the caller) for services to be healthy; resolves with why not, or null. */
export type DependencyGate = (services: readonly string[], signal: AbortSignal) => Promise<string | null>;

/**
 * Whether this instance runs the scheduled trigger of `job` due at `due` (cluster: the leader,
 * once per due time). Run now is a person's request and is not gated.
 */
export type ScheduleGate = (job: string, due: Date) => Promise<boolean>;

/** A trigger that did not start a run (forbid while one is in flight). */
export interface SkippedRun {
  job: string;
  runId: string;
  trigger: string;
  at: Date;
  reason: string;
  /** `overlap`: forbid while a run is in flight (not a failure); the others leave the job unhealthy. */
  cause: "overlap" | "dependencies" | "missed";
}

/** An attempt about to start (its end is reported by `run`). */
export interface StartedRun {
  job: string;
  runId: string;
  trigger: string;
  attempt: number;
  at: Date;
}

export interface JobReport {
  run(run: JobRun): void;
  skipped(skip: SkippedRun): void;
  started?(start: StartedRun): void;
}

/**
 * Runs jobs on their cron schedules (croner, time-zone aware) and on demand, applying each job's
 * concurrency policy and retries. Every run (and every skipped trigger) is reported; the caller
 * records them.
 */
export class JobScheduler {
  readonly #crons = new Map<string, Cron>();
  readonly #inFlight = new Map<string, Set<AbortController>>();

  constructor(
    private readonly jobs: ReadonlyMap<string, JobSpec>,
    private readonly report: JobReport,
    private readonly dependencies: DependencyGate = async () => null,
    private readonly gate?: ScheduleGate,
  ) {}

  /** Does `then` if the gate lets this instance act on the trigger due at `due` (at once without a gate). */
  #gated(name: string, due: Date, then: () => unknown): void {
    if (!this.gate) {
      then();
      return;
    }
    void this.gate(name, due)
      .catch(() => false)
      .then((ok) => ok && then());
  }

  /**
   * Starts the cron timers. `lastRuns` (job → when it last started, from the run history) lets a
   * job whose schedule fired while Vigil was down catch up by its policy.
   */
  start(lastRuns: ReadonlyMap<string, Date> = new Map(), now: Date = new Date()): void {
    for (const [name, spec] of this.jobs) {
      const last = lastRuns.get(name);
      const due = last ? this.nextRun(name, last) : null;
      if (!due || due.getTime() > now.getTime()) continue;
      if (spec.catchUp === "run-once") this.#gated(name, due, () => void this.trigger(name, "catch-up"));
      else {
        this.#gated(name, due, () =>
          this.report.skipped({
            job: name,
            runId: randomUUID(),
            trigger: "catch-up",
            at: now,
            reason: `missed while Vigil was down (due ${due.toISOString()}; catch_up: skip)`,
            cause: "missed",
          }),
        );
      }
    }
    for (const [name, spec] of this.jobs) {
      const cron = new Cron(
        spec.schedule,
        { ...(spec.timezone ? { timezone: spec.timezone } : {}) },
        (self) => {
          this.#gated(name, self.currentRun() ?? new Date(), () => void this.trigger(name, "schedule"));
        },
      );
      this.#crons.set(name, cron);
    }
  }

  /** When a job next runs by its schedule (null: never again). */
  nextRun(name: string, after?: Date): Date | null {
    const spec = this.jobs.get(name);
    if (!spec) throw new Error(`unknown job "${name}"`);
    return new Cron(spec.schedule, {
      paused: true,
      ...(spec.timezone ? { timezone: spec.timezone } : {}),
    }).nextRun(after);
  }

  /** Runs a job now ("Run now" passes the person); resolves with its final attempt, or the skip. */
  async trigger(name: string, trigger: string, runId: string = randomUUID()): Promise<JobRun | SkippedRun> {
    const spec = this.jobs.get(name);
    if (!spec) throw new Error(`unknown job "${name}"`);
    const running = this.#inFlight.get(name) ?? new Set<AbortController>();
    this.#inFlight.set(name, running);
    if (running.size > 0 && spec.concurrency === "forbid") {
      const skip: SkippedRun = {
        job: name,
        runId,
        trigger,
        at: new Date(),
        reason: "a run is still in flight (concurrency: forbid)",
        cause: "overlap",
      };
      this.report.skipped(skip);
      return skip;
    }
    const abort = new AbortController();
    running.add(abort);
    try {
      if (spec.dependsOn && spec.dependsOn.length > 0) {
        const blocked = await this.dependencies(spec.dependsOn, abort.signal);
        if (blocked !== null) {
          const skip: SkippedRun = {
            job: name,
            runId,
            trigger,
            at: new Date(),
            reason: `dependencies not healthy: ${blocked}`,
            cause: "dependencies",
          };
          this.report.skipped(skip);
          return skip;
        }
      }
      if (spec.concurrency === "replace") for (const c of running) if (c !== abort) c.abort();
      let run: JobRun | undefined;
      // Bounded: 1 + retries attempts; a replaced run is not retried.
      for (let attempt = 1; attempt <= 1 + spec.retries; attempt++) {
        this.report.started?.({ job: name, runId, trigger, attempt, at: new Date() });
        run = await runOnce({
          job: name,
          runId,
          task: taskFor(spec.task),
          trigger,
          attempt,
          timeoutMs: spec.timeoutMs,
          signal: abort.signal,
        });
        this.report.run(run);
        if (run.outcome === "succeeded" || run.outcome === "replaced") break;
      }
      return run as JobRun;
    } finally {
      running.delete(abort);
    }
  }

  /** Stops the timers and kills runs in flight. */
  stop(): void {
    for (const cron of this.#crons.values()) cron.stop();
    this.#crons.clear();
    for (const set of this.#inFlight.values()) for (const c of set) c.abort();
  }
}
