import { memo } from "react";

/**
 * A tiny inline SVG of recent latencies (oldest first). Failed runs (null) are red ticks at the
 * bottom; an empty series says "no data" rather than drawing a flat line at zero.
 */
export const Sparkline = memo(function Sparkline({
  points,
  width = 120,
  height = 28,
  label,
}: {
  points: readonly (number | null)[];
  width?: number;
  height?: number;
  label: string;
}) {
  if (points.length === 0) {
    // Sized by SVG attributes rather than a style attribute, which the CSP refuses (proxy.ts).
    return (
      <svg width={width} height={height} role="img" aria-label={`${label}: no data`}>
        <text
          x={width}
          y={height / 2}
          textAnchor="end"
          dominantBaseline="central"
          className="fill-muted text-xs"
        >
          no data
        </text>
      </svg>
    );
  }
  const values = points.filter((p): p is number => p !== null);
  const max = Math.max(1, ...values);
  const min = Math.min(max, ...values);
  const span = Math.max(1, max - min);
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const y = (v: number) => 2 + (height - 6) * (1 - (v - min) / span);
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? " L" : "M"}${(i * step).toFixed(1)},${y(p).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const failures = points.flatMap((p, i) => (p === null ? [i * step] : []));
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {segments.map((d) => (
        <path key={d} d={d} fill="none" stroke="var(--accent)" strokeWidth={1.5} strokeLinejoin="round" />
      ))}
      {failures.map((x) => (
        <rect
          key={x}
          x={Math.max(0, x - 1)}
          y={height - 6}
          width={2.5}
          height={6}
          fill="var(--st-unhealthy)"
        />
      ))}
    </svg>
  );
});
