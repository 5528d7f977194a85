"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { JobRunView } from "../../../../lib/jobs-contract";
import { jobKeys, jobsApi } from "../../../_lib/jobs-api";
import { localDateTime } from "../../../_lib/time";
import { DurationChart } from "./DurationChart";
import { RunTable } from "./RunTable";

/** A run counts as finished once a row of it is recorded (rows are written when an attempt ends). */
function finalRow(runs: JobRunView[], runId: string | null): JobRunView | undefined {
  if (!runId) return undefined;
  // Newest first: the first row of this run is its latest attempt.
  return runs.find((r) => r.runId === runId);
}

/** The job's page section: Run now with live progress, the duration chart and the run history. */
export function JobPanel({ name, canAct }: { name: string; canAct: boolean }) {
  const [pending, setPending] = useState<{ runId: string; at: number } | null>(null);
  const runs = useQuery({
    queryKey: jobKeys.runs(name),
    queryFn: ({ signal }) => jobsApi.runs(name, signal),
    // Polled fast while a "Run now" is in flight (live progress), slowly otherwise.
    refetchInterval: pending ? 500 : 10_000,
  });
  const list = runs.data?.runs ?? [];
  // Done once its row is recorded and nothing runs any more (later attempts of a retry add rows).
  const done = runs.data?.running === 0 ? finalRow(list, pending?.runId ?? null) : undefined;
  const run = useMutation({
    mutationFn: () => jobsApi.runNow(name),
    onSuccess: (accepted) => setPending({ runId: accepted.runId, at: Date.now() }),
  });
  useEffect(() => {
    if (done) setPending(null);
  }, [done]);
  const lastResult = run.data ? list.find((r) => r.runId === run.data.runId) : undefined;

  return (
    <section aria-labelledby="job-title" className="space-y-4 rounded-lg border border-line bg-surface p-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="job-title" className="font-semibold">
          Job runs
        </h2>
        <span className="text-sm text-muted">
          Next run: {runs.data?.nextRun ? localDateTime(runs.data.nextRun) : "not scheduled"}
        </span>
        {canAct ? (
          <button
            type="button"
            className="ml-auto rounded border border-line px-3 py-1 text-sm font-medium hover:bg-line/40 disabled:opacity-50"
            disabled={pending !== null || run.isPending}
            onClick={() => run.mutate()}
          >
            Run now
          </button>
        ) : null}
      </div>
      <p role="status" aria-live="polite" className="text-sm" data-testid="job-progress">
        {run.error ? <span className="text-st-unhealthy">Could not start: {run.error.message}</span> : null}
        {pending ? <span>Running… (run {pending.runId.slice(0, 8)})</span> : null}
        {!pending && lastResult ? (
          <span className={lastResult.outcome === "succeeded" ? "text-st-healthy" : "text-st-unhealthy"}>
            Run {lastResult.runId.slice(0, 8)} {lastResult.outcome}
            {lastResult.exitCode === null ? "" : ` (exit code ${lastResult.exitCode})`}
            {lastResult.reason ? `: ${lastResult.reason}` : ""}
          </span>
        ) : null}
      </p>
      {runs.error ? (
        <p className="text-sm text-st-unhealthy">Cannot load runs: {runs.error.message}</p>
      ) : null}
      {runs.data && list.length === 0 ? <p className="text-sm text-muted">No runs yet.</p> : null}
      {list.length > 0 ? <DurationChart runs={list} /> : null}
      {list.length > 0 ? <RunTable runs={list} /> : null}
    </section>
  );
}
