"use client";

import { memo } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ValueSeriesView } from "../../../lib/contract";
import { localDateTime } from "../../_lib/time";
import { formatValue, isResourceSeries, valueLabel } from "../../_lib/values";
import { timeAxis, valueAxis } from "./chart-axes";

interface Row {
  t: number;
  avg: number;
  band: [number, number];
  count: number;
}

/** One small chart per check value (days to expiry, queue depth...), over the latency chart's range. */
export const ValueCharts = memo(function ValueCharts({
  series,
  fromMs,
  toMs,
}: {
  series: readonly ValueSeriesView[];
  fromMs: number;
  toMs: number;
}) {
  if (series.length === 0) return null;
  return (
    <div className="mt-4 grid gap-4 md:grid-cols-2" data-testid="value-charts">
      {series.map((s) => (
        <ValueChart key={`${s.check}.${s.name}`} series={s} fromMs={fromMs} toMs={toMs} />
      ))}
    </div>
  );
});

function ValueChart({ series, fromMs, toMs }: { series: ValueSeriesView; fromMs: number; toMs: number }) {
  const rows: Row[] = series.points.map((p) => ({
    t: Date.parse(p.t),
    avg: p.avg,
    band: [p.min, p.max],
    count: p.count,
  }));
  const last = series.points.at(-1);
  const title = isResourceSeries(series)
    ? valueLabel(series.name)
    : `${valueLabel(series.name)} · check ${series.check}`;
  return (
    <figure
      data-testid="value-chart"
      data-value={series.name}
      data-check={series.check}
      data-points={rows.length}
      aria-label={`${title}, ${rows.length} points`}
    >
      <figcaption className="mb-1 flex items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold" title={series.description || undefined}>
          {title}
        </span>
        {last ? <span className="text-muted">last {formatValue(last.avg, series.unit)}</span> : null}
      </figcaption>
      <div className="h-40 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" vertical={false} />
            <XAxis {...timeAxis(fromMs, toMs, 5)} />
            <YAxis {...valueAxis} tickFormatter={(v: number) => formatValue(v, series.unit)} />
            <Tooltip content={<ValueTip unit={series.unit} />} />
            <Area
              dataKey="band"
              stroke="none"
              fill="var(--accent)"
              fillOpacity={0.2}
              isAnimationActive={false}
              name="min–max"
            />
            <Line
              dataKey="avg"
              stroke="var(--accent)"
              strokeWidth={1.6}
              dot={rows.length < 3}
              isAnimationActive={false}
              name="avg"
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function ValueTip({
  active,
  payload,
  unit,
}: {
  active?: boolean;
  payload?: readonly { payload?: Row }[];
  unit: string;
}) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  const [min, max] = row.band;
  return (
    <div className="rounded-md border border-line bg-surface px-3 py-2 text-xs shadow-lg">
      <p className="font-semibold">{localDateTime(row.t)}</p>
      <p>
        {row.count > 1
          ? `avg ${formatValue(row.avg, unit)} · min ${formatValue(min, unit)} · max ${formatValue(max, unit)}`
          : formatValue(row.avg, unit)}
      </p>
    </div>
  );
}
