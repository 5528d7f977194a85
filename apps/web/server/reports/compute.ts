import { quantile } from "@vigil/db";

/*
 * An uptime report over [from, to): pure arithmetic over down periods (from the transitions),
 * maintenance windows and a merged latency histogram, so the figures can be checked by hand.
 *
 * - availability: 1 − downtime / range (maintenance counts like any other time);
 * - availabilityExcludingMaintenance: downtime and range both without the maintenance windows;
 * - downtimeMinutes (outside maintenance) against the SLO: budget = (1 − slo) × (range − maintenance).
 */

export interface Span {
  from: Date;
  /** null = still open (clipped to the report's end). */
  to: Date | null;
}

export interface ReportInput {
  from: Date;
  to: Date;
  /** 0..1, e.g. 0.999. */
  slo: number;
  down: Span[];
  maintenance: Span[];
  latency: { hist: number[]; min: number | null; max: number | null };
}

export interface Report {
  from: string;
  to: string;
  slo: number;
  rangeMinutes: number;
  maintenanceMinutes: number;
  downtimeMinutes: number;
  downtimeInMaintenanceMinutes: number;
  availability: number;
  availabilityExcludingMaintenance: number | null;
  errorBudgetMinutes: number;
  errorBudgetLeftMinutes: number;
  incidents: { from: string; to: string | null; durationMinutes: number }[];
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

type Interval = [number, number];

/** Sorted, merged, clipped to [lo, hi). */
function union(spans: Span[], lo: number, hi: number): Interval[] {
  const list = spans
    .map((s): Interval => [Math.max(lo, s.from.getTime()), Math.min(hi, s.to ? s.to.getTime() : hi)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [a, b] of list) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const length = (list: Interval[]) => list.reduce((s, [a, b]) => s + (b - a), 0);

function overlap(x: Interval[], y: Interval[]): number {
  let total = 0;
  for (const [a, b] of x) for (const [c, d] of y) total += Math.max(0, Math.min(b, d) - Math.max(a, c));
  return total;
}

const MIN = 60_000;

export function computeReport(input: ReportInput): Report {
  const lo = input.from.getTime();
  const hi = input.to.getTime();
  const range = hi - lo;
  const down = union(input.down, lo, hi);
  const maint = union(input.maintenance, lo, hi);
  const downAll = length(down);
  const inMaint = overlap(down, maint);
  const maintTotal = length(maint);
  const downOutside = downAll - inMaint;
  const usable = range - maintTotal;
  const budget = (1 - input.slo) * usable;
  const { hist, min, max } = input.latency;
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    slo: input.slo,
    rangeMinutes: range / MIN,
    maintenanceMinutes: maintTotal / MIN,
    downtimeMinutes: downOutside / MIN,
    downtimeInMaintenanceMinutes: inMaint / MIN,
    availability: range > 0 ? 1 - downAll / range : 1,
    availabilityExcludingMaintenance: usable > 0 ? 1 - downOutside / usable : null,
    errorBudgetMinutes: budget / MIN,
    errorBudgetLeftMinutes: (budget - downOutside) / MIN,
    incidents: down.map(([a, b]) => ({
      from: new Date(a).toISOString(),
      to: b >= hi && input.down.some((d) => d.to === null) ? null : new Date(b).toISOString(),
      durationMinutes: (b - a) / MIN,
    })),
    latencyMs: {
      p50: quantile(hist, 0.5, min, max),
      p95: quantile(hist, 0.95, min, max),
      p99: quantile(hist, 0.99, min, max),
    },
  };
}

/** The report as CSV: one summary block, then one row per incident. */
export function reportCsv(subject: string, r: Report): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    // Quote always and neutralise formula prefixes, so a spreadsheet never runs a cell.
    return `"${(/^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s).replace(/"/g, '""')}"`;
  };
  const rows: (string | number | null)[][] = [
    [
      "subject",
      "from",
      "to",
      "slo",
      "availability",
      "availability_excluding_maintenance",
      "downtime_minutes",
      "maintenance_minutes",
      "error_budget_minutes",
      "error_budget_left_minutes",
      "p50_ms",
      "p95_ms",
      "p99_ms",
    ],
    [
      subject,
      r.from,
      r.to,
      r.slo,
      r.availability,
      r.availabilityExcludingMaintenance,
      r.downtimeMinutes,
      r.maintenanceMinutes,
      r.errorBudgetMinutes,
      r.errorBudgetLeftMinutes,
      r.latencyMs.p50,
      r.latencyMs.p95,
      r.latencyMs.p99,
    ],
    [],
    ["incident_from", "incident_to", "duration_minutes"],
    ...r.incidents.map((i) => [i.from, i.to, i.durationMinutes]),
  ];
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}
