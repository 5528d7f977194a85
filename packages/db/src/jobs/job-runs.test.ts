import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema, createEngine, type Engine } from "@vigil/orchestrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { createJobRunStore, type JobRunHistory } from "./job-run-store.ts";

/* Jobs end to end below the web layer: real child processes, a real engine, runs in real Postgres. */

let tdb: TestDatabase;
let db: Db;
let store: JobRunHistory;
const engines: Engine[] = [];

beforeEach(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  store = createJobRunStore(db);
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close().catch(() => {});
  await db.close();
  await tdb.drop();
});

function engineWith(
  services: Record<string, unknown>,
  stateDir = mkdtempSync(join(tmpdir(), "vigil-jobs-")),
) {
  const engine = createEngine({
    config: ConfigSchema.parse({ project: "jobs", services }),
    stateDir,
    onEvent: () => {},
    jobRuns: store,
    jobDependencyWaitMs: 400,
  });
  engines.push(engine);
  return engine;
}

const job = (command: string, extra: Record<string, unknown> = {}) => ({
  kind: "job",
  command,
  schedule: "0 3 1 1 *",
  ...extra,
});
const history = async (name: string) =>
  (await store.list(name, { limit: 50 }, AbortSignal.timeout(5_000))).reverse();
/** Waits (bounded) until the job's writes have landed: `done` settles before the store write does. */
async function settled(name: string, count: number) {
  for (let i = 0; i < 100; i++) {
    if ((await history(name)).length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("job runs recorded in Postgres (real processes)", () => {
  it("records success, failure and timeout with exit code, duration, trigger and output tail", async () => {
    const engine = engineWith({
      ok: job("echo all good"),
      bad: job("echo broken >&2; exit 2"),
      slow: job("sleep 20", { timeout: "300ms" }),
    });
    await engine.ready;
    await Promise.all(["ok", "bad", "slow"].map((name) => engine.jobs.runNow(name, "alice").done));
    await Promise.all(["ok", "bad", "slow"].map((name) => settled(name, 1)));
    expect(await history("ok")).toMatchObject([
      { outcome: "succeeded", exitCode: 0, trigger: "alice", outputTail: ["all good"], reason: null },
    ]);
    expect(await history("bad")).toMatchObject([
      { outcome: "failed", exitCode: 2, outputTail: ["broken"], reason: "exit code 2" },
    ]);
    const [slow] = await history("slow");
    expect(slow).toMatchObject({ outcome: "timeout", signal: "SIGKILL", reason: "timed out" });
    expect(slow?.durationMs).toBeGreaterThanOrEqual(300);
    expect(engine.snapshot().find((s) => s.name === "bad")?.status).toBe("unhealthy");
  });

  it("applies each concurrency policy to overlapping triggers", async () => {
    const engine = engineWith({
      forbid: job("sleep 0.5", { concurrency: "forbid" }),
      replace: job("sleep 0.5", { concurrency: "replace" }),
      allow: job("sleep 0.5", { concurrency: "allow" }),
    });
    await engine.ready;
    const both = async (name: string) => {
      const first = engine.jobs.runNow(name, "first");
      await new Promise((r) => setTimeout(r, 100)); // the first is in flight
      const second = engine.jobs.runNow(name, "second");
      await Promise.all([first.done, second.done]);
    };
    await Promise.all(["forbid", "replace", "allow"].map(both));
    await Promise.all(["forbid", "replace", "allow"].map((name) => settled(name, 2)));
    const outcomes = async (name: string) =>
      (await history(name)).map((r) => `${r.trigger}:${r.outcome}`).sort();
    expect(await outcomes("forbid")).toEqual(["first:succeeded", "second:overlap"]);
    expect(await outcomes("replace")).toEqual(["first:replaced", "second:succeeded"]);
    expect(await outcomes("allow")).toEqual(["first:succeeded", "second:succeeded"]);
  });

  it("skips a run whose dependency is unhealthy and records why", async () => {
    const engine = engineWith({
      db: { kind: "external", checks: [{ kind: "tcp", host: "127.0.0.1", port: 1, interval: "100ms" }] },
      report: job("echo ran", { depends_on: ["db"] }),
    });
    await engine.ready;
    await engine.jobs.runNow("report", "alice").done;
    await settled("report", 1);
    const [row] = await history("report");
    expect(row).toMatchObject({ outcome: "skipped", trigger: "alice" });
    expect(row?.reason).toMatch(/^dependencies not healthy: db is /);
  });

  it("a run missed while Vigil was stopped follows catch_up (run-once runs it, skip records it missed)", async () => {
    const services = {
      once: job("echo caught up", { schedule: "* * * * * *", catch_up: "run-once" }),
      skip: job("echo caught up", { schedule: "* * * * * *", catch_up: "skip" }),
    };
    // A run one minute ago, then Vigil stopped: at least one scheduled run (every second) was missed.
    const at = new Date(Date.now() - 60_000);
    for (const name of ["once", "skip"])
      await store.recordRun({
        job: name,
        runId: crypto.randomUUID(),
        trigger: "schedule",
        attempt: 1,
        startedAt: at,
        endedAt: at,
        durationMs: 1,
        outcome: "succeeded",
        exitCode: 0,
        signal: null,
        outputTail: [],
      });
    const engine = engineWith(services);
    await engine.ready;
    await settled("once", 2);
    await settled("skip", 2);
    await engine.close();
    expect((await history("once")).map((r) => r.trigger)).toContain("catch-up");
    const skipped = (await history("skip")).find((r) => r.trigger === "catch-up");
    expect(skipped).toMatchObject({ outcome: "missed" });
    expect(skipped?.reason).toMatch(/missed while Vigil was down/);
    expect((await history("skip")).some((r) => r.trigger === "catch-up" && r.outcome === "succeeded")).toBe(
      false,
    );
  });
});
