import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RestartPolicy } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { harness } from "./fixtures/engine-harness.ts";
import { fixture, until } from "./fixtures/helpers.ts";
import { backoffDelay } from "./restart-policy.ts";

type Restarted = Extract<EngineEvent, { type: "service.restarted" }>;

describe("restart policies", () => {
  const open: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close().catch(() => {});
  });

  it("computes exponential delays with a cap", () => {
    const policy = RestartPolicy.parse({
      policy: "always",
      backoff: { initial: "100ms", factor: 3, max: "1s" },
    });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([100, 300, 900, 1000, 1000]);
  });

  it("backs off exponentially up to the cap, shows crash-loop, and resets after a stable run", async () => {
    const h0 = harness({});
    const counter = join(h0.stateDir, "runs");
    await h0.close();
    const h = harness({
      flaky: {
        kind: "process",
        command: [process.execPath, fixture("crasher.mjs")],
        env: { COUNTER_FILE: counter, CRASHES: "5", STABLE_MS: "2500" },
        restart: {
          policy: "always",
          backoff: { initial: "50ms", factor: 2, max: "200ms" },
          reset_after: "1500ms",
        },
      },
    });
    open.push(h);
    const restarted = () => h.events.filter((e): e is Restarted => e.type === "service.restarted");
    const states = new Set<string>();
    const sampler = setInterval(() => states.add(h.engine.snapshot()[0]?.runtime.state ?? "?"), 10);
    try {
      expect((await h.engine.start().done).result).toBe("succeeded");
      await until(() => restarted().length >= 7, 25_000);
    } finally {
      clearInterval(sampler);
    }
    const seen = restarted().slice(0, 7);
    // Five quick crashes back off 50, 100, 200 (cap), 200, 200; each stable 2.5 s run resets to 50.
    expect(seen.map((e) => e.delayMs)).toEqual([50, 100, 200, 200, 200, 50, 50]);
    expect(seen.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 1, 1]);
    expect(seen.map((e) => e.crashLoop)).toEqual([false, false, true, true, true, false, false]);
    expect(seen[0]?.reason).toBe("exited with code 3");
    expect(seen[5]?.reason).toBe("exited with code 4");
    expect(states.has("crash-loop")).toBe(true);
    expect(h.engine.snapshot()[0]?.runtime.restarts).toBeGreaterThanOrEqual(7);

    // A user stop never triggers the policy.
    const count = restarted().length;
    expect((await h.engine.stop().done).result).toBe("succeeded");
    await new Promise((r) => setTimeout(r, 400));
    expect(restarted().length).toBe(count);
    expect(h.engine.snapshot()[0]?.runtime.state).toBe("stopped");
  }, 40_000);

  it("on-failure:N gives up after N restarts", async () => {
    const h0 = harness({});
    const counter = join(h0.stateDir, "runs");
    await h0.close();
    const h = harness({
      broken: {
        kind: "process",
        command: [process.execPath, fixture("crasher.mjs")],
        env: { COUNTER_FILE: counter, CRASHES: "100" },
        restart: { policy: "on-failure", max_retries: 2, backoff: { initial: "20ms", max: "40ms" } },
      },
    });
    open.push(h);
    await h.engine.start().done;
    await until(() => h.events.filter((e) => e.type === "service.restarted").length === 2);
    await until(() => h.engine.snapshot()[0]?.runtime.state === "exited");
    await new Promise((r) => setTimeout(r, 500));
    expect(h.events.filter((e) => e.type === "service.restarted").length).toBe(2);
    // Given up on, but it died by itself: red with the exit code, never a calm grey "stopped".
    expect(h.engine.snapshot()[0]).toMatchObject({
      status: "unhealthy",
      reason: "exited unexpectedly (exit code 3)",
      runtime: { exitCode: 3 },
    });
  });

  it("applies the policy to an exit that happened while the start action was still running", async () => {
    const h = harness({
      blip: {
        kind: "process",
        command: "exit 1",
        restart: { policy: "on-failure", max_retries: 1, backoff: { initial: "10ms" } },
      },
    });
    open.push(h);
    await h.engine.start().done;
    await until(() => h.events.some((e) => e.type === "service.restarted"));
    expect(h.events.filter((e) => e.type === "service.restarted")).toEqual([
      expect.objectContaining({ attempt: 1, delayMs: 10 }),
    ]);
  });
});
