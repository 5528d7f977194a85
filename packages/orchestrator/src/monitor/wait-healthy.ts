import type { CheckEntry } from "./entries.ts";

export interface WaitHealthyOptions {
  signal: AbortSignal;
  timeoutMs: number;
  onStage?: (stage: string) => void;
}
export type WaitHealthyResult = { ok: true } | { ok: false; message: string };

/** Polling cadence while waiting: short so a health-gated start moves on quickly, bounded so it never spins. */
const POLL_MS = 250;

const passing = (c: CheckEntry) => c.state.state === "healthy" || c.state.state === "degraded";

/**
 * Waits until every check of a service passes (per its policy: thresholds and start period apply),
 * running failing checks immediately rather than at their interval.
 */
export async function waitHealthy(
  checksOf: () => CheckEntry[] | undefined,
  trigger: (check: CheckEntry) => Promise<void>,
  opts: WaitHealthyOptions,
): Promise<WaitHealthyResult> {
  const deadline = performance.now() + opts.timeoutMs;
  let lastStage: string | undefined;
  const reportStage = (checks: CheckEntry[]) => {
    for (const check of checks) {
      const stage = check.last?.stage;
      if (!stage?.reached || stage.reached === lastStage) continue;
      lastStage = stage.reached;
      opts.onStage?.(stage.reached);
    }
  };
  for (;;) {
    const checks = checksOf();
    if (!checks) return { ok: false, message: "service removed from config" };
    if (checks.every(passing)) return { ok: true };
    const left = deadline - performance.now();
    if (opts.signal.aborted || left <= 0) return { ok: false, message: failure(checks, opts) };
    const pending = checks.filter((c) => !passing(c));
    for (const check of pending) check.force = true;
    await bounded(Promise.all(pending.map(trigger)), left, opts.signal);
    reportStage(checks);
    if ((checksOf() ?? []).every(passing) && checksOf()) return { ok: true };
    await bounded(Promise.resolve(), Math.min(POLL_MS, deadline - performance.now()), opts.signal, true);
  }
}

function failure(checks: CheckEntry[], opts: WaitHealthyOptions): string {
  const failing = checks
    .filter((c) => !passing(c) && c.last !== undefined && c.last.status === "unhealthy")
    .sort((a, b) => (b.last?.at.getTime() ?? 0) - (a.last?.at.getTime() ?? 0));
  const last = failing[0]?.last ?? checks.find((c) => !passing(c))?.last;
  if (last) return last.message;
  return opts.signal.aborted ? "cancelled" : `no check result within ${opts.timeoutMs}ms`;
}

/** Waits for `work` (or, with `sleep`, just the time), at most `ms`, and no longer than the signal allows. */
function bounded(work: Promise<unknown>, ms: number, signal: AbortSignal, sleep = false): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    if (!sleep) work.then(done, done);
  });
}
