"use client";

import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { JobRunView } from "../../../../lib/jobs-contract";
import { formatMs, localDateTime } from "../../../_lib/time";

/** Each run's duration, oldest left; failed, timed-out and skipped runs in red. */
export function DurationChart({ runs }: { runs: JobRunView[] }) {
  const rows = runs
    .filter((r) => r.durationMs !== null)
    .map((r) => ({
      key: `${r.runId}-${r.attempt}`,
      at: localDateTime(r.startedAt),
      ms: r.durationMs ?? 0,
      ok: r.outcome === "succeeded",
    }))
    .reverse();
  return (
    <figure aria-label="Run durations" className="h-40">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows}>
          <XAxis dataKey="at" hide />
          <YAxis tickFormatter={(v: number) => formatMs(v)} width={56} />
          <Tooltip formatter={(v) => formatMs(Number(v))} />
          <Bar dataKey="ms" name="duration" isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.key} fill={r.ok ? "var(--st-healthy)" : "var(--st-unhealthy)"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
