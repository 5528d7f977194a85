import type { BadgeColor } from "./badge-svg.ts";
import { membersOf, type PublicStatus, publicStatus } from "./components.ts";
import type { StatusData } from "./data.ts";
import type { BadgeRow, BadgeWindow } from "./model.ts";

const WINDOW_MS: Record<BadgeWindow, number> = {
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
};

const STATUS_COLOR: Record<PublicStatus, BadgeColor> = {
  operational: "green",
  degraded: "yellow",
  outage: "red",
  maintenance: "blue",
  unknown: "grey",
};

export interface BadgeValue {
  label: string;
  value: string;
  color: BadgeColor;
}

/** Uptime to two decimals, rounded down so 99.996% never shows as 100.00%. */
export const uptimeText = (v: number) => `${(Math.floor(v * 10000) / 100).toFixed(2)}%`;

function uptimeColor(v: number): BadgeColor {
  if (v >= 0.999) return "green";
  if (v >= 0.99) return "yellow";
  if (v >= 0.95) return "orange";
  return "red";
}

/**
 * The badge's value now: status from the live state; uptime (share of non-failing results) and
 * latency (mean over the window, weighted by results) from the rollups of the target's services.
 */
export async function badgeValue(badge: BadgeRow, data: StatusData, now: Date): Promise<BadgeValue> {
  const members = membersOf({ kind: badge.targetKind, ref: badge.target }, data.services());
  const window = badge.window ?? "24h";
  if (badge.metric === "status") {
    const s = publicStatus(members, false);
    return { label: badge.label ?? "status", value: s, color: STATUS_COLOR[s] };
  }
  if (badge.metric === "cert") {
    const days = members.flatMap((m) => (typeof m.certDays === "number" ? [m.certDays] : []));
    const label = badge.label ?? "certificate";
    if (days.length === 0) return { label, value: "unknown", color: "grey" };
    const d = Math.floor(Math.min(...days));
    return {
      label,
      value: d < 0 ? "expired" : `${d} days`,
      color: d < 7 ? "red" : d < 14 ? "orange" : d < 30 ? "yellow" : "green",
    };
  }
  const from = new Date(now.getTime() - WINDOW_MS[window]);
  const points = (await Promise.all(members.map((m) => data.points(m.name, from, now)))).flat();
  if (badge.metric === "uptime") {
    const n = points.reduce((s, p) => s + p.count, 0);
    const f = points.reduce((s, p) => s + p.failures, 0);
    const label = badge.label ?? `uptime ${window}`;
    return n === 0
      ? { label, value: "no data", color: "grey" }
      : { label, value: uptimeText((n - f) / n), color: uptimeColor((n - f) / n) };
  }
  let weight = 0;
  let total = 0;
  for (const p of points) {
    if (p.avg === null) continue;
    weight += p.count;
    total += p.avg * p.count;
  }
  const label = badge.label ?? `latency ${window}`;
  if (weight === 0) return { label, value: "no data", color: "grey" };
  const ms = total / weight;
  return { label, value: `${Math.round(ms)} ms`, color: ms < 200 ? "green" : ms < 1000 ? "yellow" : "red" };
}
