import { createRefusingRunner } from "./external.ts";
import type { Runner } from "./types.ts";

/**
 * Jobs are not long-running: the engine's job host (jobs/job-host.ts) runs them on their schedule.
 * Start/stop/restart are refused with a pointer to "Run now"; between runs nothing is running.
 */
export function createJobRunner(): Runner {
  return createRefusingRunner(
    "job",
    (name) =>
      `service "${name}" is a job: it runs on its schedule; use "Run now" (POST /api/jobs/${name}/run) to run it now`,
  );
}
