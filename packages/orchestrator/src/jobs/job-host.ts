import { randomUUID } from "node:crypto";
import type { Config, JobServiceConfig } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import type { JobFacts, ServiceSnapshot } from "../status/snapshot.ts";
import type { JobRun } from "./run-once.ts";
import { runReason } from "./run-reason.ts";
import { JobScheduler, type JobSpec, type ScheduleGate, type SkippedRun } from "./scheduler.ts";
import type { JobRunStore } from "./store-port.ts";
import { taskSpec } from "./task-spec.ts";

export interface JobHostDeps {
  onEvent: (event: EngineEvent) => void;
  /** The monitor's view of a service (dependency gate) and its runtime facts (job status). */
  service: (name: string) => ServiceSnapshot | undefined;
  setJobFacts: (name: string, facts: JobFacts) => void;
  store?: JobRunStore;
  /** How long a run waits for its dependencies to be healthy before it is skipped. Default 60 s. */
  dependencyWaitMs?: number;
  /** Which scheduled triggers this instance runs (cluster: the leader's); default all. */
  gate?: ScheduleGate;
}

/** The config's `kind: job` services as scheduler specs. */
export function jobSpecs(config: Config): Map<string, JobSpec> {
  const specs = new Map<string, JobSpec>();
  for (const [name, svc] of Object.entries(config.services)) {
    if (svc.kind !== "job") continue;
    specs.set(name, toSpec(svc, config));
  }
  return specs;
}

function toSpec(svc: JobServiceConfig, config: Config): JobSpec {
  const dependsOn = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on);
  return {
    task: taskSpec(svc, config),
    schedule: svc.schedule,
    ...(svc.timezone ? { timezone: svc.timezone } : {}),
    timeoutMs: svc.timeout,
    retries: svc.retries,
    concurrency: svc.concurrency,
    catchUp: svc.catch_up,
    dependsOn,
  };
}
/** Node 20 has no Promise.withResolvers. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Owns the JobScheduler for the config's jobs: records every run through the store port, turns
 * each outcome into the job's status (through the monitor, so alerting sees it) and reports
 * job.started / job.finished / job.skipped on the engine's event stream.
 */
export class JobHost {
  #specs: Map<string, JobSpec>;
  #scheduler: JobScheduler | undefined;
  readonly #facts = new Map<string, JobFacts>();
  readonly #closing = new AbortController();
  readonly #pending = new Set<Promise<unknown>>();
  /** Settles when the scheduler (re)starts, so "Run now" during start-up waits instead of failing. */
  #scheduled = deferred();

  constructor(
    config: Config,
    private readonly deps: JobHostDeps,
  ) {
    this.#specs = jobSpecs(config);
  }

  names(): string[] {
    return [...this.#specs.keys()];
  }

  /** Loads the last start of every job from the store (catch-up) and starts the timers. */
  async start(now: Date = new Date()): Promise<void> {
    if (this.#specs.size === 0) return this.#scheduled.resolve();
    const lastRuns = this.deps.store
      ? await this.deps.store
          .lastStarts(this.names(), AbortSignal.any([this.#closing.signal, AbortSignal.timeout(15_000)]))
          .catch((error: unknown) => {
            this.#log(this.names()[0] ?? "vigil", `vigil: could not read job history: ${String(error)}`);
            return new Map<string, Date>();
          })
      : new Map<string, Date>();
    if (this.#closing.signal.aborted) return;
    this.#scheduler = this.#makeScheduler();
    for (const name of this.names()) this.#update(name, {});
    this.#scheduler.start(lastRuns, now);
    this.#scheduled.resolve();
  }

  /** Swaps the jobs when their config changed (runs in flight of a changed set are killed). */
  async reload(config: Config): Promise<void> {
    const next = jobSpecs(config);
    if (JSON.stringify([...next]) === JSON.stringify([...this.#specs])) return;
    this.#scheduler?.stop();
    this.#specs = next;
    for (const name of this.#facts.keys()) if (!next.has(name)) this.#facts.delete(name);
    this.#scheduler = undefined;
    this.#scheduled = deferred();
    await this.start();
  }

  /** "Run now": returns the run id at once; `done` settles with the final attempt or the skip. */
  runNow(name: string, by: string): { runId: string; done: Promise<JobRun | SkippedRun> } {
    if (!this.#specs.has(name)) throw new Error(`"${name}" is not a job`);
    if (this.#closing.signal.aborted) throw new Error("Vigil is shutting down");
    const runId = randomUUID();
    const scheduler = this.#scheduler;
    if (scheduler) return { runId, done: scheduler.trigger(name, by, runId) };
    // Still reading job history at start-up (or swapping jobs on reload): run once that is done.
    const waited = this.#scheduled.promise.then(() => {
      const ready = this.#scheduler;
      if (!ready || !this.#specs.has(name))
        throw new Error(`"${name}" is no longer a job, or Vigil is shutting down`);
      return ready.trigger(name, by, runId);
    });
    return { runId, done: waited };
  }

  nextRun(name: string): Date | null {
    return this.#scheduler && this.#specs.has(name) ? this.#scheduler.nextRun(name) : null;
  }

  /** Stops timers, kills runs in flight and waits (bounded) for their records to be written. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#scheduled.resolve();
    this.#scheduler?.stop();
    const writes = Promise.allSettled([...this.#pending]);
    await Promise.race([writes, new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  #makeScheduler(): JobScheduler {
    return new JobScheduler(
      this.#specs,
      {
        started: (s) => {
          const facts = this.#facts.get(s.job);
          this.#update(s.job, { running: (facts?.running ?? 0) + 1 });
          this.deps.onEvent({
            type: "job.started",
            service: s.job,
            runId: s.runId,
            trigger: s.trigger,
            attempt: s.attempt,
            at: s.at,
          });
        },
        run: (run) => {
          const timeoutMs = this.#specs.get(run.job)?.timeoutMs ?? 0;
          const facts = this.#facts.get(run.job);
          this.#update(run.job, {
            running: Math.max(0, (facts?.running ?? 1) - 1),
            last: {
              startedAt: run.startedAt,
              durationMs: run.durationMs,
              outcome: run.outcome,
              exitCode: run.exitCode,
              trigger: run.trigger,
              reason: runReason(run, timeoutMs),
            },
          });
          this.deps.onEvent({ type: "job.finished", service: run.job, at: run.endedAt, run });
          this.#write(run.job, this.deps.store?.recordRun(run));
        },
        skipped: (skip) => {
          if (skip.cause !== "overlap") {
            this.#update(skip.job, {
              last: {
                startedAt: skip.at,
                durationMs: 0,
                outcome: skip.cause === "missed" ? "missed" : "skipped",
                exitCode: null,
                trigger: skip.trigger,
                reason: skip.reason,
              },
            });
          }
          this.deps.onEvent({ type: "job.skipped", service: skip.job, at: skip.at, skip });
          this.#write(skip.job, this.deps.store?.recordSkip(skip));
        },
      },
      (services, signal) => this.#waitHealthy(services, signal),
      this.deps.gate,
    );
  }

  /** Waits (bounded) for every dependency to be healthy; returns what is not, or null. */
  async #waitHealthy(services: readonly string[], signal: AbortSignal): Promise<string | null> {
    const deadline = Date.now() + (this.deps.dependencyWaitMs ?? 60_000);
    const notHealthy = () =>
      services
        .map((name) => ({ name, snap: this.deps.service(name) }))
        .filter(({ snap }) => snap?.status !== "healthy")
        .map(({ name, snap }) =>
          snap ? `${name} is ${snap.status} (${snap.reason})` : `${name} is unknown`,
        );
    for (;;) {
      const bad = notHealthy();
      if (bad.length === 0) return null;
      if (signal.aborted) return `${bad.join("; ")}; cancelled`;
      if (Date.now() >= deadline) return bad.join("; ");
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  #update(name: string, patch: Partial<JobFacts>): void {
    const before = this.#facts.get(name) ?? { nextRun: null, running: 0 };
    const next: JobFacts = { ...before, ...patch, nextRun: this.nextRun(name) };
    this.#facts.set(name, next);
    this.deps.setJobFacts(name, next);
  }

  #write(job: string, write: Promise<void> | undefined): void {
    if (!write) return;
    const tracked = write.catch((error: unknown) =>
      this.#log(job, `vigil: could not record job run: ${String(error)}`),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #log(service: string, line: string): void {
    this.deps.onEvent({ type: "service.log", service, stream: "stderr", line, at: new Date() });
  }
}
