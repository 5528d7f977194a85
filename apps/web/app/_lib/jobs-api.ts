import { JobRunAccepted, JobRunsResponse } from "../../lib/jobs-contract";
import { fetchJson } from "./api";

/** The jobs REST calls the job page uses (server/rest/jobs.ts). */
export const jobsApi = {
  runs: (name: string, signal?: AbortSignal) =>
    fetchJson(`/api/jobs/${encodeURIComponent(name)}/runs?limit=50`, JobRunsResponse, { signal }),
  runNow: (name: string) =>
    fetchJson(`/api/jobs/${encodeURIComponent(name)}/run`, JobRunAccepted, { method: "POST" }),
};

export const jobKeys = { runs: (name: string) => ["job-runs", name] as const };
