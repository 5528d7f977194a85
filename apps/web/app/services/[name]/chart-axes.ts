import { axisTime } from "../../_lib/time";

/** The time axis every history chart shares: the window's range with `ticks` evenly spaced labels. */
export function timeAxis(fromMs: number, toMs: number, ticks: number) {
  const span = toMs - fromMs;
  return {
    dataKey: "t",
    type: "number" as const,
    scale: "time" as const,
    domain: [fromMs, toMs],
    ticks: Array.from({ length: ticks }, (_, i) => fromMs + (span * i) / (ticks - 1)),
    tickFormatter: (v: number) => axisTime(v, span),
    stroke: "var(--muted)",
    fontSize: 11,
    minTickGap: 24,
  };
}

/** The value axis look both charts share; the caller adds its tick formatter and domain. */
export const valueAxis = { stroke: "var(--muted)", fontSize: 11, width: 64 };
