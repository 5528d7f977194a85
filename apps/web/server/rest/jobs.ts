import type { JobRunHistory } from "@vigil/db";
import { ErrorBody } from "../../lib/contract.ts";
import { JobRunAccepted, JobRunsQuery, JobRunsResponse, type JobRunView } from "../../lib/jobs-contract.ts";
import { errorMessage } from "../async.ts";
import type { LiveState } from "../live/state.ts";
import type { RestDeps } from "./deps.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS } from "./shared.ts";

const DB_TIMEOUT_MS = 10_000;

/** The job port the routes need: "Run now" and the next scheduled run (the engine's job host). */
export interface JobControl {
  runNow(name: string, by: string): { runId: string; done: Promise<unknown> };
  nextRun(name: string): Date | null;
}

function checkJob(live: LiveState, name: string): string {
  const svc = live.config.services[name];
  if (!svc) throw new HttpError("not_found", `no service named "${name}"`, "name");
  if (svc.kind !== "job")
    throw new HttpError("bad_request", `service "${name}" is a ${svc.kind}, not a job`, "name");
  return name;
}

/** "Run now" on this instance's engine: the REST route's work, and a forwarded request's on the owner. */
export function runJobNow(
  live: LiveState,
  jobs: JobControl | undefined,
  job: string,
  requestedBy: string,
): JobRunAccepted {
  const name = checkJob(live, job);
  if (!jobs) throw new HttpError("conflict", "this engine does not run jobs");
  let started: { runId: string; done: Promise<unknown> };
  try {
    started = jobs.runNow(name, requestedBy);
  } catch (err) {
    throw new HttpError("conflict", errorMessage(err));
  }
  void started.done.catch(() => undefined);
  return { job: name, runId: started.runId };
}

export function jobRoutes(deps: RestDeps & { runs?: JobRunHistory; jobs?: JobControl }): Route[] {
  const jobName = (params: Record<string, string>): string => checkJob(deps.live, params.name ?? "");
  return [
    {
      method: "GET",
      path: "/api/jobs/:name/runs",
      permission: "read",
      doc: {
        summary: "A job's run history, newest first (paged with `before`)",
        tag: "jobs",
        query: JobRunsQuery,
        responses: { 200: JobRunsResponse, 503: ErrorBody, ...ERRORS },
      },
      handle: async ({ params, query }) => {
        const name = jobName(params);
        const q = parseInput(JobRunsQuery, query);
        if (!deps.runs) throw new HttpError("unavailable", "job run history needs the database");
        const rows = await deps.runs.list(
          name,
          { limit: q.limit, ...(q.before ? { before: new Date(q.before) } : {}) },
          AbortSignal.timeout(DB_TIMEOUT_MS),
        );
        const runs = rows.map(
          (r): JobRunView => ({
            runId: r.runId,
            attempt: r.attempt,
            trigger: r.trigger,
            outcome: r.outcome,
            startedAt: r.startedAt.toISOString(),
            endedAt: r.endedAt?.toISOString() ?? null,
            durationMs: r.durationMs,
            exitCode: r.exitCode,
            signal: r.signal,
            reason: r.reason,
            outputTail: r.outputTail,
          }),
        );
        const body: JobRunsResponse = {
          job: name,
          nextRun: deps.jobs?.nextRun(name)?.toISOString() ?? null,
          running: deps.live.engine.snapshot().find((s) => s.name === name)?.runtime.job?.running ?? 0,
          runs,
          next: runs.length === q.limit ? (runs.at(-1)?.startedAt ?? null) : null,
        };
        return { body };
      },
    },
    {
      method: "POST",
      path: "/api/jobs/:name/run",
      permission: "act",
      doc: {
        summary:
          "Run a job now; returns its run id at once (progress: GET /api/jobs/:name/runs, job.* socket events)",
        tag: "jobs",
        responses: { 202: JobRunAccepted, 409: ErrorBody, ...ERRORS },
      },
      handle: async ({ params, principal }) => {
        const name = jobName(params);
        const requestedBy = principal?.name ?? "anonymous";
        // Cluster mode: the job's owner runs it (the one that also runs its schedule).
        const forwarded = await deps.routing?.jobRun(name, requestedBy);
        return { status: 202, body: forwarded ?? runJobNow(deps.live, deps.jobs, name, requestedBy) };
      },
    },
  ];
}
