import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServicesResponse } from "../lib/contract.ts";
import { JobRunAccepted, JobRunsResponse } from "../lib/jobs-contract.ts";
import type { VigilServer } from "./app.ts";
import { getJson, postJson } from "./testing/http.ts";
import { type RealServer, startRealServer } from "./testing/real-server.ts";

/* Jobs through REST: the real engine running a real command, runs in a throwaway Postgres. */

let real: RealServer;
let server: VigilServer;

beforeAll(async () => {
  const config = ConfigSchema.parse({
    project: `jobsrest${process.pid}`,
    services: {
      api: { kind: "external" },
      backup: { kind: "job", command: "echo dumped 42 rows; sleep 0.3", schedule: "0 3 * * *" },
    },
  });
  real = await startRealServer("jobs", ({ database }) => ({ config, jobRuns: database.jobRuns }));
  ({ server } = real);
});

afterAll(async () => {
  await real?.close();
});

describe("jobs REST", () => {
  it("Run now returns a run id at once; the run shows up in the paged history with its output", async () => {
    const posted = await postJson(server.url, "/api/jobs/backup/run", {});
    expect(posted.status).toBe(202);
    const accepted = JobRunAccepted.parse(posted.body);
    const runs = async () =>
      JobRunsResponse.parse((await getJson(server.url, "/api/jobs/backup/runs?limit=1")).body);
    for (let i = 0; i < 100 && (await runs()).runs.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    const page = await runs();
    expect(page.nextRun).not.toBeNull();
    expect(page.runs[0]).toMatchObject({
      runId: accepted.runId,
      outcome: "succeeded",
      exitCode: 0,
      outputTail: ["dumped 42 rows"],
    });
    expect(page.runs[0]?.durationMs).toBeGreaterThanOrEqual(300);
    // The board tile reads the job's last and next run from the service view.
    const services = ServicesResponse.parse((await getJson(server.url, "/api/services")).body);
    const tile = services.services.find((s) => s.name === "backup");
    expect(tile).toMatchObject({ kind: "job", status: "healthy", job: { last: { outcome: "succeeded" } } });
    expect(tile?.job?.nextRun).toEqual(page.nextRun);
  });

  it("answers 404 for an unknown service and 400 for a service that is not a job", async () => {
    expect((await getJson(server.url, "/api/jobs/nope/runs")).status).toBe(404);
    expect((await getJson(server.url, "/api/jobs/api/runs")).status).toBe(400);
    expect((await postJson(server.url, "/api/jobs/api/run", {})).status).toBe(400);
  });
});
