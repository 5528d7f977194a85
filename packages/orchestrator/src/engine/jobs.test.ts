import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { freePort, httpService, tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { waitFor } from "../testing/wait.ts";
import { createEngine, type Engine } from "./engine.ts";

/* `kind: job` through the whole engine: real child processes, status through the monitor. */

describe("engine jobs", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close({ stopServices: true }).catch(() => {});
  });

  function engineWith(services: Record<string, unknown>, extra: { jobDependencyWaitMs?: number } = {}) {
    const config = ConfigSchema.parse({ project: `jobs${process.pid}`, services });
    const events: EngineEvent[] = [];
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      ...extra,
    });
    engines.push(engine);
    const status = (name: string) => engine.snapshot().find((s) => s.name === name);
    return { engine, events, status };
  }

  it("runs a job on Run now: events for start and end, healthy after success with the reason", async () => {
    const { engine, events, status } = engineWith({
      backup: { kind: "job", command: "echo dumped; exit 0", schedule: "0 3 * * *" },
    });
    await engine.ready;
    expect(status("backup")?.status).toBe("unknown");
    expect(status("backup")?.runtime.job?.nextRun).toBeInstanceOf(Date);
    const { runId, done } = engine.jobs.runNow("backup", "alice");
    const run = await done;
    expect(run).toMatchObject({ runId, trigger: "alice", outcome: "succeeded" });
    expect(events.filter((e) => e.type.startsWith("job.")).map((e) => e.type)).toEqual([
      "job.started",
      "job.finished",
    ]);
    expect(status("backup")).toMatchObject({ status: "healthy" });
    expect(status("backup")?.reason).toMatch(/last run succeeded/);
    expect(status("backup")?.runtime.job?.last).toMatchObject({ exitCode: 0, trigger: "alice" });
  });

  it("goes unhealthy with the reason after a failure and after a timeout", async () => {
    const { engine, status, events } = engineWith({
      bad: { kind: "job", command: "exit 4", schedule: "0 3 * * *" },
      slow: { kind: "job", command: "sleep 30", schedule: "0 3 * * *", timeout: "300ms" },
    });
    await engine.ready;
    await engine.jobs.runNow("bad", "schedule").done;
    await engine.jobs.runNow("slow", "schedule").done;
    expect(status("bad")).toMatchObject({ status: "unhealthy" });
    expect(status("bad")?.reason).toMatch(/failed: exit code 4/);
    expect(status("slow")).toMatchObject({ status: "unhealthy" });
    expect(status("slow")?.reason).toMatch(/timed out after 300 ms/);
    // Alerting reads service.status transitions: a failed job produces one like any service.
    expect(events).toContainEqual(
      expect.objectContaining({ type: "service.status", service: "bad", to: "unhealthy" }),
    );
  });

  it("skips a run whose dependency stays unhealthy, and says which", async () => {
    const port = await freePort(); // nothing listens: the dependency's check fails
    const { engine, status } = engineWith(
      {
        db: {
          kind: "external",
          checks: [{ kind: "tcp", host: "127.0.0.1", port, interval: "100ms", timeout: "200ms" }],
        },
        report: { kind: "job", command: "echo ran", schedule: "0 3 * * *", depends_on: ["db"] },
      },
      { jobDependencyWaitMs: 500 },
    );
    await engine.ready;
    const result = await engine.jobs.runNow("report", "alice").done;
    expect(result).toMatchObject({ cause: "dependencies" });
    expect("reason" in result ? result.reason : "").toMatch(/db is/);
    expect(status("report")).toMatchObject({ status: "unhealthy" });
  });

  it("start and stop of the whole stack pass over jobs (nothing long-running to start)", async () => {
    const port = await freePort();
    const { engine } = engineWith({
      api: httpService(port),
      nightly: { kind: "job", command: "true", schedule: "0 3 * * *" },
    });
    await engine.ready;
    expect((await engine.start().done).result).toBe("succeeded");
    expect((await engine.stop().done).result).toBe("succeeded");
    await waitFor(() => engine.snapshot().find((s) => s.name === "api")?.runtime.state === "stopped");
  });
});

describe("job config", () => {
  const parse = (job: Record<string, unknown>) =>
    ConfigSchema.safeParse({ services: { j: { kind: "job", command: "true", ...job } } });

  it("fills the defaults and rejects a bad schedule, time zone or restart policy with the field", () => {
    const ok = parse({ schedule: "*/5 * * * *", timezone: "Europe/Berlin" });
    expect(ok.success && ok.data.services.j).toMatchObject({
      kind: "job",
      timeout: 3_600_000,
      retries: 0,
      concurrency: "forbid",
      catch_up: "run-once",
    });
    const bad = (job: Record<string, unknown>) => {
      const r = parse(job);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(bad({ schedule: "every day" })).toEqual([
      expect.stringMatching(/^services\.j\.schedule: invalid cron/),
    ]);
    expect(bad({ schedule: "0 3 * * *", timezone: "Mars/Olympus" })).toEqual([
      expect.stringMatching(/^services\.j\.timezone: unknown time zone/),
    ]);
    expect(bad({ schedule: "0 3 * * *", restart: "always" })).toEqual([
      expect.stringMatching(/^services\.j\.restart: a job has no restart policy/),
    ]);
  });
});
