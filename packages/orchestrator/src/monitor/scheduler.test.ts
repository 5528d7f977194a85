import { describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import { Scheduler } from "./scheduler.ts";

/** A run that stays in flight until released or aborted. */
function gate() {
  let active = 0;
  let max = 0;
  let runs = 0;
  const releases: (() => void)[] = [];
  const run = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      runs++;
      active++;
      max = Math.max(max, active);
      let open = true;
      const done = () => {
        if (open) active--;
        open = false;
        resolve();
      };
      releases.push(done);
      signal.addEventListener("abort", done, { once: true });
    });
  return {
    run,
    releaseAll: () => {
      for (const release of releases.splice(0)) release();
    },
    get active() {
      return active;
    },
    get max() {
      return max;
    },
    get runs() {
      return runs;
    },
  };
}

describe("scheduler", () => {
  it("joins a trigger to the run in flight instead of starting a second one", async () => {
    const s = new Scheduler({ maxConcurrent: 4 });
    const g = gate();
    s.add("x", { intervalMs: 60_000, run: g.run });
    const first = s.trigger("x");
    const second = s.trigger("x");
    expect(g.runs).toBe(0); // waiting for the semaphore is async
    await waitFor(() => g.runs === 1);
    expect(
      await Promise.race([
        second.then(() => "settled"),
        new Promise((r) => setTimeout(() => r("pending"), 50)),
      ]),
    ).toBe("pending");
    g.releaseAll();
    await Promise.all([first, second]);
    expect(g.runs).toBe(1);
    await s.stop();
  });

  it("bounds concurrency across tasks and aborts in-flight runs on stop", async () => {
    const s = new Scheduler({ maxConcurrent: 2 });
    const g = gate();
    for (const id of ["a", "b", "c", "d"]) s.add(id, { intervalMs: 60_000, run: g.run });
    const all = ["a", "b", "c", "d"].map((id) => s.trigger(id));
    expect(await waitFor(() => g.runs === 2)).toBe(true);
    g.releaseAll();
    expect(await waitFor(() => g.runs === 4)).toBe(true);
    expect(g.max).toBe(2);
    await s.stop();
    await Promise.all(all);
    expect(g.active).toBe(0);
  });

  it("spreads first runs over the interval (jitter)", async () => {
    const late = new Scheduler({ maxConcurrent: 1, random: () => 0.999 });
    const early = new Scheduler({ maxConcurrent: 1, random: () => 0 });
    let lateRuns = 0;
    let earlyRuns = 0;
    late.add("x", { intervalMs: 60_000, run: async () => void lateRuns++ });
    early.add("x", { intervalMs: 60_000, run: async () => void earlyRuns++ });
    late.start();
    early.start();
    expect(await waitFor(() => earlyRuns === 1)).toBe(true);
    expect(lateRuns).toBe(0);
    await Promise.all([late.stop(), early.stop()]);
  });
});
