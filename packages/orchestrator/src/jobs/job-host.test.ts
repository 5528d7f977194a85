import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import { JobHost } from "./job-host.ts";
import type { JobRunStore } from "./store-port.ts";

/* The host around the scheduler: a real child process per run; the store is an in-memory port. */

function host(lastStarts: JobRunStore["lastStarts"]) {
  const config = ConfigSchema.parse({
    project: "jobhost",
    services: { backup: { kind: "job", command: "echo dumped", schedule: "0 3 * * *" } },
  });
  const recorded: string[] = [];
  const store: JobRunStore = {
    lastStarts,
    recordRun: async (run) => {
      recorded.push(run.runId);
    },
    recordSkip: async () => undefined,
  };
  const jobs = new JobHost(config, {
    onEvent: () => undefined,
    service: () => undefined,
    setJobFacts: () => undefined,
    store,
  });
  return { jobs, recorded };
}

describe("job host", () => {
  it("runs a Run now that arrives while job history is still loading, once loading is done", async () => {
    let release: () => void = () => undefined;
    const history = new Promise<Map<string, Date>>((r) => {
      release = () => r(new Map());
    });
    const { jobs, recorded } = host(() => history);
    const starting = jobs.start();
    const { runId, done } = jobs.runNow("backup", "alice");
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    release();
    await starting;
    await expect(done).resolves.toMatchObject({ job: "backup", outcome: "succeeded", trigger: "alice" });
    expect(recorded).toEqual([runId]);
    await jobs.close();
  });

  it("refuses Run now once the host is closing, and for a name that is not a job", async () => {
    const { jobs } = host(async () => new Map());
    await jobs.start();
    expect(() => jobs.runNow("nope", "alice")).toThrow(/"nope" is not a job/);
    await jobs.close();
    expect(() => jobs.runNow("backup", "alice")).toThrow(/shutting down/);
  });
});
