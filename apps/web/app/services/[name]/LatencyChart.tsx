"use client";

import { memo } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { HistoryResponse } from "../../../lib/contract";
import { formatMs, localDateTime } from "../../_lib/time";
import { timeAxis, valueAxis } from "./chart-axes";

interface Row {
  t: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  band: [number, number] | null;
  outer: [number, number] | null;
  fail: number | null;
  failures: number;
  count: number;
  message?: string;
}

/** p50 line, p50–p95 and p95–p99 bands; failed results as red dots at the top of the chart. */
export const LatencyChart = memo(function LatencyChart({
  data,
  fromMs,
  toMs,
}: {
  data: HistoryResponse;
  fromMs: number;
  toMs: number;
}) {
  let maxLatency = 1;
  for (const p of data.points) {
    if (p.failures < p.count) maxLatency = Math.max(maxLatency, p.p99 ?? p.max ?? p.avg ?? 0);
  }
  const rows: Row[] = data.points.map((p) => {
    // A bucket where every run failed has no latency worth drawing: only its red failure dot.
    const allFailed = p.count > 0 && p.failures >= p.count;
    const p50 = allFailed ? null : (p.p50 ?? p.avg);
    const p95 = allFailed ? null : (p.p95 ?? p50);
    const p99 = allFailed ? null : (p.p99 ?? p95);
    return {
      t: Date.parse(p.t),
      p50,
      p95,
      p99,
      band: p50 !== null && p95 !== null ? [p50, p95] : null,
      outer: p95 !== null && p99 !== null ? [p95, p99] : null,
      fail: p.failures > 0 ? maxLatency * 1.05 : null,
      failures: p.failures,
      count: p.count,
      ...(p.message ? { message: p.message } : {}),
    };
  });
  if (rows.length === 0) {
    return (
      <div
        className="flex h-72 items-center justify-center rounded-md border border-dashed border-line text-muted"
        data-testid="chart-empty"
      >
        No data in this window.
      </div>
    );
  }
  const failed = rows.reduce((n, r) => n + r.failures, 0);
  return (
    <figure
      data-testid="latency-chart"
      data-points={rows.length}
      aria-label={`Latency chart, ${rows.length} points, ${failed} failures`}
    >
      <div className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" vertical={false} />
            <XAxis {...timeAxis(fromMs, toMs, 7)} />
            <YAxis
              {...valueAxis}
              tickFormatter={(v: number) =>
                v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`
              }
              domain={[0, (max: number) => Math.max(max, maxLatency * 1.08)]}
            />
            <Tooltip content={<ChartTip />} />
            <Area
              dataKey="outer"
              stroke="none"
              fill="var(--accent)"
              fillOpacity={0.12}
              isAnimationActive={false}
              connectNulls={false}
              name="p95–p99"
            />
            <Area
              dataKey="band"
              stroke="none"
              fill="var(--accent)"
              fillOpacity={0.28}
              isAnimationActive={false}
              connectNulls={false}
              name="p50–p95"
            />
            <Line
              dataKey="p50"
              stroke="var(--accent)"
              strokeWidth={1.8}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
              name="p50"
            />
            <Line
              dataKey="p99"
              stroke="var(--accent)"
              strokeWidth={1}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
              name="p99"
            />
            <Scatter dataKey="fail" fill="var(--st-unhealthy)" isAnimationActive={false} name="failures" />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-muted">
        <span>
          <span className="mr-1 inline-block h-0.5 w-4 bg-accent align-middle" />
          p50
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-4 bg-accent/30 align-middle" />
          p50–p95
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-4 bg-accent/10 align-middle" />
          p95–p99
        </span>
        <span className="text-st-unhealthy">● failure ({failed})</span>
        <span>resolution: {data.resolution}</span>
      </figcaption>
    </figure>
  );
});

function ChartTip({ active, payload }: { active?: boolean; payload?: readonly { payload?: Row }[] }) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="rounded-md border border-line bg-surface px-3 py-2 text-xs shadow-lg">
      <p className="font-semibold">{localDateTime(row.t)}</p>
      <p>
        p50 {formatMs(row.p50)} · p95 {formatMs(row.p95)} · p99 {formatMs(row.p99)}
      </p>
      <p>
        {row.count} result{row.count === 1 ? "" : "s"}
        {row.failures > 0 ? <span className="text-st-unhealthy"> · {row.failures} failed</span> : null}
      </p>
      {row.message ? <p className="max-w-72 truncate text-muted">{row.message}</p> : null}
    </div>
  );
}
