import type { ServiceView } from "../../lib/contract-views";
import { formatMs, localDateTime } from "../_lib/time";

/** A job's tile body: its last run (outcome, duration, when) and when it runs next. */
export function TileJob({ job }: { job: NonNullable<ServiceView["job"]> }) {
  const last = job.last;
  return (
    <dl className="grid grid-cols-2 gap-1 text-xs" data-testid="tile-job">
      <div>
        <dt className="text-muted">last run</dt>
        <dd className="font-semibold">
          {job.running > 0
            ? "running now"
            : last
              ? `${last.outcome} · ${formatMs(last.durationMs)}`
              : "none yet"}
        </dd>
        {last ? <dd className="text-muted">{localDateTime(last.startedAt)}</dd> : null}
      </div>
      <div>
        <dt className="text-muted">next run</dt>
        <dd className="font-semibold">{job.nextRun ? localDateTime(job.nextRun) : "not scheduled"}</dd>
      </div>
    </dl>
  );
}
