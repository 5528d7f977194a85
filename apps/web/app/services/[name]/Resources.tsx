"use client";

import { useQuery } from "@tanstack/react-query";
import { Sparkline } from "../../_components/Sparkline";
import { keys } from "../../_lib/api";
import type { ResourceSample } from "../../_lib/cache";
import { formatBytes } from "../../_lib/time";

/** How a memory limit is enforced, as the panel says it. */
const ENFORCEMENT = {
  cgroup: "enforced by the container's cgroup",
  "cgroup v1": "enforced by the service's cgroup (v1)",
  "cgroup v2": "enforced by the service's cgroup (v2)",
  "rlimit+sampler": "enforced per process by the data rlimit and for the tree by Vigil every sample",
} as const;

/** CPU and memory from the socket deltas, when the service's runner reports them. */
export function Resources({ service }: { service: string }) {
  // Filled by the socket hook (resources deltas, one per sampling interval); the history panel
  // charts the stored samples over the chosen range.
  const samples =
    useQuery({
      queryKey: keys.resources(service),
      queryFn: () => [] as ResourceSample[],
      staleTime: Number.POSITIVE_INFINITY,
      initialData: [] as ResourceSample[],
    }).data ?? [];
  const last = samples.at(-1);
  return (
    <section
      aria-labelledby="res-title"
      className="rounded-lg border border-line bg-surface p-4"
      data-testid="resources"
    >
      <h2 id="res-title" className="mb-2 font-semibold">
        Resources
      </h2>
      {!last ? (
        <p className="text-sm text-muted">
          No data: the runner has not reported CPU or memory for this service.
        </p>
      ) : (
        <dl className="space-y-3 text-sm">
          <div>
            <dt className="text-muted">CPU</dt>
            <dd className="flex items-center justify-between gap-2">
              <strong>{last.cpuPercent.toFixed(1)}%</strong>
              <Sparkline
                points={samples.map((s) => s.cpuPercent)}
                label="CPU over the last samples"
                width={140}
              />
            </dd>
          </div>
          <div>
            <dt className="text-muted">Memory</dt>
            <dd className="flex items-center justify-between gap-2">
              <strong>{formatBytes(last.memoryBytes)}</strong>
              <Sparkline
                points={samples.map((s) => s.memoryBytes / 1048576)}
                label="Memory over the last samples"
                width={140}
              />
            </dd>
          </div>
          {last.memoryLimitBytes ? (
            <div className="flex justify-between" data-testid="memory-limit">
              <dt className="text-muted">Memory limit</dt>
              <dd>
                {formatBytes(last.memoryLimitBytes)} (
                {Math.round((last.memoryBytes / last.memoryLimitBytes) * 100)}% used
                {last.limitEnforcement ? `, ${ENFORCEMENT[last.limitEnforcement]}` : ""})
              </dd>
            </div>
          ) : null}
          {last.fds !== undefined || last.threads !== undefined ? (
            <div className="flex justify-between">
              <dt className="text-muted">Open files · threads</dt>
              <dd data-testid="fds-threads">
                {last.fds ?? "–"} · {last.threads ?? "–"}
              </dd>
            </div>
          ) : null}
        </dl>
      )}
    </section>
  );
}
