import { Semaphore } from "./semaphore.ts";

export interface ScheduledTask {
  intervalMs: number;
  /** One run. The signal aborts when the task is removed or the scheduler stops. */
  run: (signal: AbortSignal) => Promise<void>;
}

interface TaskState {
  spec: ScheduledTask;
  controller: AbortController;
  timer?: NodeJS.Timeout;
  current?: Promise<void>;
}

/** Overdue tasks taken over from elsewhere start within this window, not all in one tick. */
const OVERDUE_SPREAD_MS = 1000;

/**
 * Runs tasks each on its own interval. Guarantees:
 * - single flight: a task never has two runs at once; the next run is scheduled only after the
 *   previous one settled (a hanging target delays its own check, nothing else);
 * - at most `maxConcurrent` runs across all tasks;
 * - jitter: first runs spread over the interval, later ones at interval ±10%, so checks do not
 *   fire in lockstep;
 * - stop() aborts in-flight runs and waits for them.
 */
export class Scheduler {
  readonly #tasks = new Map<string, TaskState>();
  readonly #semaphore: Semaphore;
  readonly #random: () => number;
  readonly #now: () => number;
  #started = false;
  #stopped = false;

  constructor(opts: { maxConcurrent: number; random?: () => number; now?: () => number }) {
    this.#semaphore = new Semaphore(opts.maxConcurrent);
    this.#random = opts.random ?? Math.random;
    this.#now = opts.now ?? Date.now;
  }

  setMaxConcurrent(max: number): void {
    this.#semaphore.setMax(max);
  }

  /** Runs currently holding a concurrency slot. */
  get active(): number {
    return this.#semaphore.active;
  }

  has(id: string): boolean {
    return this.#tasks.has(id);
  }

  /**
   * Adds a task. Added to a running scheduler, its first run comes at a random point of its
   * interval — or, given when it last ran elsewhere (`lastRunAt`, epoch ms: a check taken over
   * from another instance), when that run says it is due, so the task keeps its rhythm and its
   * history no extra gap. Overdue ones (their previous runner died) are spread over a second
   * rather than fired at once.
   */
  add(id: string, spec: ScheduledTask, lastRunAt?: number): void {
    if (this.#stopped) return;
    if (this.#tasks.has(id)) throw new Error(`task "${id}" already scheduled`);
    const task: TaskState = { spec, controller: new AbortController() };
    this.#tasks.set(id, task);
    if (!this.#started) return;
    this.#schedule(task, this.#firstDelay(spec.intervalMs, lastRunAt));
  }

  #firstDelay(intervalMs: number, lastRunAt: number | undefined): number {
    if (lastRunAt === undefined) return this.#random() * intervalMs;
    const due = lastRunAt + intervalMs - this.#now();
    if (due > 0) return Math.min(due, intervalMs);
    return this.#random() * Math.min(OVERDUE_SPREAD_MS, intervalMs);
  }

  /** Removes a task, aborting its in-flight run and waiting for it to settle. */
  async remove(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (!task) return;
    this.#tasks.delete(id);
    clearTimeout(task.timer);
    task.controller.abort(new Error("check removed"));
    await task.current;
  }

  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    for (const task of this.#tasks.values()) this.#schedule(task, this.#random() * task.spec.intervalMs);
  }

  /** Runs the task now, or joins its in-flight run; resolves when that run settles. */
  trigger(id: string): Promise<void> {
    const task = this.#tasks.get(id);
    if (!task || this.#stopped) return Promise.resolve();
    return this.#runOnce(task);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const tasks = [...this.#tasks.values()];
    this.#tasks.clear();
    for (const task of tasks) {
      clearTimeout(task.timer);
      task.controller.abort(new Error("monitor stopped"));
    }
    await Promise.all(tasks.map((t) => t.current));
  }

  #schedule(task: TaskState, delayMs: number): void {
    clearTimeout(task.timer);
    task.timer = setTimeout(() => void this.#runOnce(task), Math.max(0, delayMs));
  }

  #runOnce(task: TaskState): Promise<void> {
    if (task.current) return task.current;
    clearTimeout(task.timer);
    const signal = task.controller.signal;
    const run = async () => {
      try {
        await this.#semaphore.acquire(signal);
      } catch {
        return; // removed or stopped while waiting for a slot
      }
      try {
        await task.spec.run(signal);
      } catch {
        // A run reports through its own callbacks; a throw must not kill the schedule.
      } finally {
        this.#semaphore.release();
      }
    };
    task.current = run().finally(() => {
      task.current = undefined;
      if (this.#started && !signal.aborted) {
        const jitter = 0.9 + 0.2 * this.#random();
        this.#schedule(task, task.spec.intervalMs * jitter);
      }
    });
    return task.current;
  }
}
