import { describe, expect, it } from "vitest";
import type { ProbeStatus } from "../status/model.ts";
import { type CheckPolicy, resolvePolicy } from "./resolve.ts";
import { admit, applyResult, type CheckState, initialState, withRetries } from "./state.ts";

// Pure policy unit tests: time is a number we pass in (fake time), no clocks, no targets.

const base: CheckPolicy = {
  interval: 1000,
  timeout: 500,
  retries: 0,
  startPeriod: 0,
  successThreshold: 1,
  failureThreshold: 1,
};

function feed(
  policy: CheckPolicy,
  statuses: ProbeStatus[],
  start = initialState(0),
  step = 1000,
): CheckState[] {
  const states: CheckState[] = [];
  let state = start;
  statuses.forEach((status, i) => {
    state = applyResult(policy, state, status, (i + 1) * step);
    states.push(state);
  });
  return states;
}

describe("check policy (fake time)", () => {
  it("merges defaults with per-check fields", () => {
    const defaults = {
      interval: 10_000,
      timeout: 5000,
      retries: 0,
      start_period: 0,
      success_threshold: 1,
      failure_threshold: 3,
    };
    const policy = resolvePolicy(defaults, {
      kind: "tcp",
      host: "127.0.0.1",
      port: 1,
      timeout: 200,
      failure_threshold: 5,
      circuit_breaker: { failures: 4, cooldown: 30_000 },
    });
    expect(policy).toEqual({
      interval: 10_000,
      timeout: 200,
      retries: 0,
      startPeriod: 0,
      successThreshold: 1,
      failureThreshold: 5,
      circuit: { failures: 4, cooldown: 30_000 },
    });
  });

  it("changes state only once a threshold is met, so a flapping target does not flap the state", () => {
    const policy = { ...base, successThreshold: 2, failureThreshold: 3 };
    const states = feed(policy, [
      "healthy",
      "healthy",
      "unhealthy",
      "healthy",
      "unhealthy",
      "unhealthy",
      "unhealthy",
    ]);
    expect(states.map((s) => s.state)).toEqual([
      "unknown",
      "healthy",
      "healthy",
      "healthy",
      "healthy",
      "healthy",
      "unhealthy",
    ]);
    const recovered = feed(policy, ["healthy", "healthy"], states.at(-1));
    expect(recovered.map((s) => s.state)).toEqual(["unhealthy", "healthy"]);
  });

  it("ignores failures inside the start period until the first success", () => {
    const policy = { ...base, startPeriod: 5000 };
    const states = feed(policy, ["unhealthy", "unhealthy", "unhealthy"]);
    expect(states.map((s) => [s.state, s.consecutiveFailures])).toEqual([
      ["unknown", 0],
      ["unknown", 0],
      ["unknown", 0],
    ]);
    // After the period, failures count.
    expect(applyResult(policy, states[2]!, "unhealthy", 6000).state).toBe("unhealthy");
    // A success inside the period ends it: later failures count at once.
    const up = applyResult(policy, initialState(0), "healthy", 1000);
    expect(applyResult(policy, up, "unhealthy", 2000).state).toBe("unhealthy");
  });

  it("opens the circuit after N failures, skips runs until cooldown, then trials half-open", () => {
    const policy = { ...base, failureThreshold: 1, circuit: { failures: 3, cooldown: 10_000 } };
    const states = feed(policy, ["unhealthy", "unhealthy", "unhealthy"]);
    expect(states.map((s) => s.circuit)).toEqual(["closed", "closed", "open"]);
    const open = states[2]!;
    expect(admit(policy, open, 5000).run).toBe(false);
    const trial = admit(policy, open, 3000 + 10_000);
    expect(trial).toMatchObject({ run: true, state: { circuit: "half-open" } });
    const reopened = applyResult(policy, trial.state, "unhealthy", 13_000);
    expect(reopened).toMatchObject({ circuit: "open", openedAt: 13_000 });
    expect(admit(policy, reopened, 14_000).run).toBe(false);
    const closed = applyResult(policy, admit(policy, reopened, 23_000).state, "healthy", 23_000);
    expect(closed).toMatchObject({ circuit: "closed", state: "healthy" });
  });

  it("retries failures immediately within one run", async () => {
    const results: ProbeStatus[] = ["unhealthy", "unhealthy", "healthy"];
    let calls = 0;
    const outcome = await withRetries(2, undefined, async () => ({ status: results[calls++]! }));
    expect(outcome).toEqual({ result: { status: "healthy" }, attempts: 3 });
    calls = 0;
    const failed = await withRetries(1, undefined, async () => ({ status: results[calls++]! }));
    expect(failed).toEqual({ result: { status: "unhealthy" }, attempts: 2 });
  });
});
