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

  it("runs a task taken over from elsewhere when its last run says it is due; an overdue one within a second", async () => {
    const clock = { now: 1_000_000 };
    const s = new Scheduler({ maxConcurrent: 4, random: () => 0.999, now: () => clock.now });
    s.start();
    const ran: Record<string, number> = {};
    const task = (id: string) => ({
      intervalMs: 60_000,
      run: async () => {
        ran[id] = Date.now();
      },
    });
    const added = Date.now();
    // Last ran 59.8 s ago on a 60 s interval: due in 0.2 s (random alone would say ~60 s).
    s.add("due-soon", task("due-soon"), clock.now - 59_800);
    // Last ran 5 min ago: overdue, so within the 1 s spread (0.999 s with this random).
    s.add("overdue", task("overdue"), clock.now - 300_000);
    // Last ran just now: not before its interval.
    s.add("fresh", task("fresh"), clock.now);
    expect(await waitFor(() => ran["due-soon"] !== undefined && ran.overdue !== undefined, 3000)).toBe(true);
    expect(ran["due-soon"]).toBeLessThan(ran.overdue ?? 0);
    expect((ran.overdue ?? 0) - added).toBeGreaterThanOrEqual(900);
    expect(ran.fresh).toBeUndefined();
    await s.stop();
  });
});
