"use client";

import { useQuery } from "@tanstack/react-query";
import type { LimitsView } from "../../lib/contract";
import { keys } from "../_lib/api";
import type { ResourceSample } from "../_lib/cache";
import { limitsText } from "../_lib/limits";
import { formatBytes } from "../_lib/time";

/** CPU and memory as two compact bars, once the runner has reported a sample (socket deltas). */
export function TileResources({ service, limits }: { service: string; limits?: LimitsView | undefined }) {
  const last = useQuery({
    queryKey: keys.resources(service),
    queryFn: () => [] as ResourceSample[],
    staleTime: Number.POSITIVE_INFINITY,
    initialData: [] as ResourceSample[],
  }).data?.at(-1);
  if (!last) return null;
  const limit = last.memoryLimitBytes;
  const memory = formatBytes(last.memoryBytes);
  return (
    <dl className="grid grid-cols-[auto_1fr_auto] items-center gap-x-2 text-xs" data-testid="tile-resources">
      <dt className="text-muted">CPU</dt>
      <dd>
        <Bar fraction={last.cpuPercent / 100} label={`CPU ${last.cpuPercent.toFixed(1)}% of one core`} />
      </dd>
      <dd className="text-right tabular-nums" data-value="cpu_percent">
        {last.cpuPercent.toFixed(0)}%
      </dd>
      <dt className="text-muted">Mem</dt>
      <dd>
        <Bar
          fraction={limit ? last.memoryBytes / limit : 0}
          label={limit ? `Memory ${memory} of ${formatBytes(limit)}` : `Memory ${memory}, no limit`}
        />
      </dd>
      <dd className="text-right tabular-nums" data-value="memory_bytes">
        {memory}
      </dd>
      {limits ? (
        // The board says what holds the limits: a cgroup, or only the memory rlimit.
        <dd className="col-span-3 truncate text-muted" data-testid="tile-limits">
          limits: {limitsText(limits)}
        </dd>
      ) : null}
    </dl>
  );
}

function Bar({ fraction, label }: { fraction: number; label: string }) {
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  return (
    // Decorative: the number beside it says the same for screen readers.
    <div aria-hidden="true" title={label} className="h-1.5 w-full overflow-hidden rounded bg-line">
      <div
        className={pct >= 90 ? "h-full bg-st-unhealthy" : "h-full bg-st-healthy"}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
