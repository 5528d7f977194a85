"use client";

import { useQuery } from "@tanstack/react-query";
import { Sparkline } from "../../_components/Sparkline";
import { keys } from "../../_lib/api";
import type { ResourceSample } from "../../_lib/cache";
import { formatBytes } from "../../_lib/time";

/** CPU and memory from the service's socket room, when its runner reports them. */
export function Resources({ service }: { service: string }) {
  // Filled only by the socket hook (resources deltas); there is no REST source.
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
        </dl>
      )}
    </section>
  );
}
