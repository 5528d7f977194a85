import type { EngineEvent } from "../../packages/orchestrator/src/index.ts";
import { epochMs } from "./time.ts";

/*
 * Schedule lag (actual start − planned start) seen from outside the monitor. The monitor's
 * scheduler is fixed-delay: a check's next run is planned `interval × jitter` after its previous
 * run settled. The monitor exposes neither time, so:
 * - jitter is pinned to exactly 1 (the scheduler draws it from Math.random, captured when the
 *   monitor is built: `pinnedJitter` swaps it for that moment only, spreading first runs evenly
 *   over the interval as the real jitter would);
 * - a run's end is the monitor's `now()` call just before its `check.result`, its start that end
 *   minus the probe's own latency, and its settle the `now()` call the status recompute makes
 *   right after (the run is done when that returns, so this errs on the late side by µs).
 * The monitor owner could export planned/actual start with each result; this would then shrink.
 */
export class LagClock {
  readonly lags: number[] = [];
  /** End times of results (epoch ms), for throughput over a window. */
  readonly ends: number[] = [];
  readonly #settled = new Map<string, number>();
  #lastNow = 0;
  #pending: string | undefined;
  #window: { from: number; to: number } = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };

  constructor(private readonly intervalMs: (id: string) => number) {}

  /** Passed to createMonitor as `now`. */
  readonly now = (): Date => {
    const t = epochMs();
    this.#lastNow = t;
    if (this.#pending !== undefined) {
      this.#settled.set(this.#pending, t);
      this.#pending = undefined;
    }
    return new Date(t);
  };

  /** Only runs that start inside [from, to) are counted. */
  measureBetween(from: number, to: number): void {
    this.#window = { from, to };
  }

  onEvent(event: EngineEvent): void {
    if (event.type !== "check.result") return;
    const id = `${event.service}/${event.check}`;
    const end = this.#lastNow;
    const start = end - event.result.latencyMs;
    const previous = this.#settled.get(id);
    if (start >= this.#window.from && start < this.#window.to) {
      this.ends.push(end);
      if (previous !== undefined) this.lags.push(start - (previous + this.intervalMs(id)));
    }
    this.#pending = id;
  }
}

/** Runs `build` with Math.random pinned: first `spread` draws spread evenly over [0, 1), then 0.5. */
export function pinnedJitter<T>(spread: number, build: () => T): { value: T; steady: () => void } {
  const real = Math.random;
  let phase: "spread" | "steady" = "spread";
  let k = 0;
  const pinned = () => (phase === "spread" ? ((k++ % spread) + 0.5) / spread : 0.5);
  Math.random = pinned;
  try {
    return {
      value: build(),
      steady: () => {
        phase = "steady";
      },
    };
  } finally {
    Math.random = real;
  }
}
