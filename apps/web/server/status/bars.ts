const DAY = 86_400_000;

export interface CountPoint {
  t: Date;
  count: number;
  failures: number;
}

export interface DayBar {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Share of non-failing results that day, 0..1; null without data. */
  uptime: number | null;
}

/** Start of the UTC day `days - 1` days before `now`'s day: the first bar. */
export function barsStart(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() / DAY) * DAY - (days - 1) * DAY);
}

/**
 * One bar per UTC day, oldest first, from hour (or finer) rollup points of any number of
 * services: counts add up across services, so a group's bar weighs each result once.
 */
export function dailyBars(points: readonly CountPoint[], now: Date, days = 90): DayBar[] {
  const start = barsStart(now, days).getTime();
  const count = new Array<number>(days).fill(0);
  const failures = new Array<number>(days).fill(0);
  for (const p of points) {
    const i = Math.floor((p.t.getTime() - start) / DAY);
    if (i < 0 || i >= days) continue;
    count[i] = (count[i] ?? 0) + p.count;
    failures[i] = (failures[i] ?? 0) + p.failures;
  }
  return count.map((n, i) => ({
    day: new Date(start + i * DAY).toISOString().slice(0, 10),
    uptime: n > 0 ? (n - (failures[i] ?? 0)) / n : null,
  }));
}

/** Uptime over all the bars' results (not the mean of the days). */
export function overallUptime(points: readonly CountPoint[]): number | null {
  let n = 0;
  let f = 0;
  for (const p of points) {
    n += p.count;
    f += p.failures;
  }
  return n > 0 ? (n - f) / n : null;
}
