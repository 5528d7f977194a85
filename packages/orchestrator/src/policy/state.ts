import type { CircuitState, ProbeStatus } from "../status/model.ts";
import type { CheckPolicy } from "./resolve.ts";

/*
 * The per-check state machine. Pure: every function takes the time (ms since epoch) it should
 * consider "now" and returns a new state, so tests drive it without clocks.
 */

export type CheckVerdict = "healthy" | "degraded" | "unhealthy" | "unknown";

export interface CheckState {
  /** The decided state after thresholds: what the board shows. */
  state: CheckVerdict;
  circuit: CircuitState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Start of the current start period (check created or service (re)started). */
  periodStart: number;
  /** Whether a run has passed since periodStart: after that, failures count even inside the period. */
  startedOk: boolean;
  /** When the circuit last opened. */
  openedAt?: number;
}

export function initialState(now: number): CheckState {
  return {
    state: "unknown",
    circuit: "closed",
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    periodStart: now,
    startedOk: false,
  };
}

/** The service (re)started: judge from scratch, with a fresh start period. */
export function restartPeriod(_state: CheckState, now: number): CheckState {
  return initialState(now);
}

export function inStartPeriod(policy: CheckPolicy, state: CheckState, now: number): boolean {
  return !state.startedOk && now - state.periodStart < policy.startPeriod;
}

/**
 * Whether a scheduled run should probe now. An open circuit skips runs until its cooldown is over;
 * then one half-open trial run decides.
 */
export function admit(
  policy: CheckPolicy,
  state: CheckState,
  now: number,
): { run: boolean; state: CheckState } {
  if (state.circuit !== "open" || !policy.circuit) return { run: true, state };
  if (now - (state.openedAt ?? now) < policy.circuit.cooldown) return { run: false, state };
  return { run: true, state: { ...state, circuit: "half-open" } };
}

/** Applies one run's final result (after retries). */
export function applyResult(
  policy: CheckPolicy,
  prev: CheckState,
  status: ProbeStatus,
  now: number,
): CheckState {
  const next: CheckState = { ...prev };
  if (status !== "unhealthy") {
    next.consecutiveSuccesses = prev.consecutiveSuccesses + 1;
    next.consecutiveFailures = 0;
    next.startedOk = true;
    if (prev.circuit !== "closed") {
      next.circuit = "closed";
      delete next.openedAt;
    }
    const passing = prev.state === "healthy" || prev.state === "degraded";
    // Healthy ↔ degraded is a change of quality, not of availability: no threshold for it.
    if (passing || next.consecutiveSuccesses >= policy.successThreshold) next.state = status;
    return next;
  }
  if (inStartPeriod(policy, prev, now)) {
    // Failures while the service is still starting do not count: "not yet", not "down".
    return { ...next, consecutiveSuccesses: 0 };
  }
  next.consecutiveFailures = prev.consecutiveFailures + 1;
  next.consecutiveSuccesses = 0;
  if (next.consecutiveFailures >= policy.failureThreshold) next.state = "unhealthy";
  if (prev.circuit === "half-open") {
    next.circuit = "open";
    next.openedAt = now;
  } else if (
    policy.circuit &&
    prev.circuit === "closed" &&
    next.consecutiveFailures >= policy.circuit.failures
  ) {
    next.circuit = "open";
    next.openedAt = now;
  }
  return next;
}

/**
 * Runs a check with immediate retries inside one scheduled run: a failure is re-run up to `retries`
 * times; the first passing result, or the last failure, is the run's result. The count comes beside
 * the result, not merged into it, so the caller need not copy the result again to take it out.
 */
export async function withRetries<R extends { status: ProbeStatus }>(
  retries: number,
  signal: AbortSignal | undefined,
  run: () => Promise<R>,
): Promise<{ result: R; attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await run();
    if (result.status !== "unhealthy" || attempts > retries || signal?.aborted) return { result, attempts };
  }
}
