import { describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import type { JobRun } from "./run-once.ts";
import { JobScheduler, type JobSpec, type SkippedRun } from "./scheduler.ts";

/* Jobs as real child processes; overlaps are made by triggering twice, not by waiting on the clock. */

type TestSpec = Partial<Omit<JobSpec, "task">> & { command: string };

function setup(specs: Record<string, TestSpec>) {
  const runs: JobRun[] = [];
  const skips: SkippedRun[] = [];
  const jobs = new Map<string, JobSpec>(
    Object.entries(specs).map(([name, { command, ...s }]) => [
      name,
      {
        schedule: "0 3 * * *",
        timeoutMs: 10_000,
        retries: 0,
        concurrency: "forbid",
        catchUp: "skip",
        task: { kind: "command", command },
        ...s,
      },
    ]),
  );
  const scheduler = new JobScheduler(jobs, { run: (r) => runs.push(r), skipped: (s) => skips.push(s) });
  return { scheduler, runs, skips };
}

describe("job scheduler (real processes)", () => {
  it("records a successful run with its exit code, duration, trigger and output tail", async () => {
    const { scheduler, runs } = setup({ ok: { command: "echo one; echo two >&2; exit 0" } });
    const run = await scheduler.trigger("ok", "alice");
    expect(run).toMatchObject({ job: "ok", trigger: "alice", attempt: 1, outcome: "succeeded", exitCode: 0 });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.outputTail).toEqual(expect.arrayContaining(["one", "two"]));
    expect(runs[0]?.endedAt.getTime()).toBeGreaterThanOrEqual(runs[0]?.startedAt.getTime() ?? 0);
  });

  it("retries a failing job and records every attempt", async () => {
    const { scheduler, runs } = setup({ bad: { command: "echo nope; exit 3", retries: 2 } });
    await scheduler.trigger("bad", "schedule");
    expect(runs.map((r) => [r.attempt, r.outcome, r.exitCode])).toEqual([
      [1, "failed", 3],
      [2, "failed", 3],
      [3, "failed", 3],
    ]);
  });

  it("kills a run at its timeout, children included", async () => {
    const { scheduler } = setup({ slow: { command: "sleep 30 & sleep 30; wait", timeoutMs: 300 } });
    const run = (await scheduler.trigger("slow", "schedule")) as JobRun;
    expect(run).toMatchObject({ outcome: "timeout", signal: "SIGKILL" });
  });

  it("forbid skips a trigger while a run is in flight", async () => {
    const { scheduler, runs, skips } = setup({ f: { command: "sleep 0.5", concurrency: "forbid" } });
    const first = scheduler.trigger("f", "schedule");
    const second = await scheduler.trigger("f", "bob");
    expect(second).toMatchObject({ job: "f", trigger: "bob", reason: expect.stringContaining("forbid") });
    await first;
    expect(runs).toHaveLength(1);
    expect(skips).toHaveLength(1);
  });

  it("replace kills the run in flight and starts the new one", async () => {
    const { scheduler, runs } = setup({ r: { command: "sleep 30", concurrency: "replace", retries: 1 } });
    const first = scheduler.trigger("r", "schedule");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = scheduler.trigger("r", "carol");
    expect(await first).toMatchObject({ outcome: "replaced", attempt: 1 });
    scheduler.stop();
    await second;
    expect(runs[0]).toMatchObject({ trigger: "schedule", outcome: "replaced" });
    // The replaced run is not retried.
    expect(runs.filter((r) => r.trigger === "schedule")).toHaveLength(1);
  });

  it("allow runs overlapping triggers side by side", async () => {
    const { scheduler, runs } = setup({ a: { command: "sleep 0.3", concurrency: "allow" } });
    await Promise.all([scheduler.trigger("a", "schedule"), scheduler.trigger("a", "dave")]);
    expect(runs.map((r) => r.outcome)).toEqual(["succeeded", "succeeded"]);
    const [x, y] = runs;
    // Overlap: the second started before the first ended.
    expect(Math.max(x?.startedAt.getTime() ?? 0, y?.startedAt.getTime() ?? 0)).toBeLessThan(
      Math.min(x?.endedAt.getTime() ?? 0, y?.endedAt.getTime() ?? 0),
    );
  });

  it("catches up a run missed while Vigil was down once, or reports it skipped, by policy", async () => {
    const { scheduler, runs, skips } = setup({
      once: { command: "true", schedule: "0 3 * * *", timezone: "UTC", catchUp: "run-once" },
      skip: { command: "true", schedule: "0 3 * * *", timezone: "UTC", catchUp: "skip" },
      fresh: { command: "true", schedule: "0 3 * * *", timezone: "UTC", catchUp: "run-once" },
    });
    const now = new Date("2026-11-30T12:00:00Z");
    // Last ran two days ago: two 03:00 runs were missed, caught up as one.
    const twoDaysAgo = new Date("2026-11-28T03:00:00Z");
    const lastRuns = new Map([
      ["once", twoDaysAgo],
      ["skip", twoDaysAgo],
      ["fresh", new Date("2026-11-30T03:00:00Z")],
    ]);
    try {
      scheduler.start(lastRuns, now);
      await waitFor(() => runs.length === 1, 10_000);
      expect(runs).toEqual([
        expect.objectContaining({ job: "once", trigger: "catch-up", outcome: "succeeded" }),
      ]);
      expect(skips).toEqual([
        expect.objectContaining({
          job: "skip",
          reason: expect.stringContaining("missed while Vigil was down"),
        }),
      ]);
    } finally {
      scheduler.stop();
    }
  });

  it("skips a run whose dependency is unhealthy, with the reason (dependency gate stands in for the engine)", async () => {
    const runs: JobRun[] = [];
    const skips: SkippedRun[] = [];
    const health = new Map([
      ["db", "healthy"],
      ["cache", "unhealthy"],
    ]);
    const gate = async (services: readonly string[]) => {
      const bad = services.filter((s) => health.get(s) !== "healthy");
      return bad.length === 0 ? null : `${bad.join(", ")} unhealthy`;
    };
    const spec = (dependsOn: string[]): JobSpec => ({
      task: { kind: "command", command: "true" },
      schedule: "0 3 * * *",
      timeoutMs: 5_000,
      retries: 0,
      concurrency: "allow",
      catchUp: "skip",
      dependsOn,
    });
    const scheduler = new JobScheduler(
      new Map([
        ["backup", spec(["db", "cache"])],
        ["report", spec(["db"])],
      ]),
      { run: (r) => runs.push(r), skipped: (s) => skips.push(s) },
      gate,
    );
    expect(await scheduler.trigger("backup", "schedule")).toMatchObject({
      reason: "dependencies not healthy: cache unhealthy",
    });
    expect(await scheduler.trigger("report", "schedule")).toMatchObject({ outcome: "succeeded" });
    expect(runs.map((r) => r.job)).toEqual(["report"]);
    expect(skips.map((s) => s.job)).toEqual(["backup"]);
  });

  it("reads the schedule in the job's time zone", () => {
    const { scheduler } = setup({
      tokyo: { command: "true", schedule: "0 3 * * *", timezone: "Asia/Tokyo" },
      utc: { command: "true", schedule: "0 3 * * *", timezone: "UTC" },
    });
    const after = new Date("2026-11-30T12:00:00Z");
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before it.
    expect(scheduler.nextRun("tokyo", after)?.toISOString()).toBe("2026-11-30T18:00:00.000Z");
    expect(scheduler.nextRun("utc", after)?.toISOString()).toBe("2026-12-01T03:00:00.000Z");
  });
});
