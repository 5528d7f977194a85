import type { ServiceStatus } from "./model.ts";
import type { JobFacts } from "./snapshot.ts";

/**
 * A job's own status is its last run's outcome: healthy after a success, unhealthy after a
 * failure, a timeout, a missed run or a skip for unhealthy dependencies — with the reason, so
 * alerting treats a failed backup like any unhealthy service.
 */
export function jobStatus(job: JobFacts): { status: ServiceStatus; reason: string } {
  const running = job.running > 0 ? "running now; " : "";
  const last = job.last;
  if (!last) {
    const next = job.nextRun ? `next run ${job.nextRun.toISOString()}` : "no further runs scheduled";
    return { status: "unknown", reason: `${running}no run yet (${next})` };
  }
  const at = last.startedAt.toISOString();
  if (last.outcome === "succeeded")
    return { status: "healthy", reason: `${running}last run succeeded at ${at} (${last.durationMs} ms)` };
  // A run replaced by a newer one says nothing about the job's health: the newer run will.
  if (last.outcome === "replaced")
    return { status: "unknown", reason: `${running}last run at ${at} was replaced by a newer run` };
  return { status: "unhealthy", reason: `${running}last run at ${at} ${verb(last.outcome)}: ${last.reason}` };
}

function verb(outcome: NonNullable<JobFacts["last"]>["outcome"]): string {
  if (outcome === "timeout") return "timed out";
  if (outcome === "missed") return "was missed";
  if (outcome === "skipped") return "was skipped";
  return "failed";
}
