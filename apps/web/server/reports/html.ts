import { esc } from "../status/escape.ts";
import type { Report } from "./compute.ts";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(3)}%`);
const num = (v: number | null, unit: string) => (v === null ? "—" : `${Math.round(v * 100) / 100} ${unit}`);

/** A shared report as a plain, script-free page. */
export function renderReport(subject: string, r: Report, csvHref: string): string {
  const rows: [string, string][] = [
    ["Range", `${r.from} — ${r.to}`],
    ["Availability", pct(r.availability)],
    ["Availability excluding maintenance", pct(r.availabilityExcludingMaintenance)],
    ["Downtime (outside maintenance)", num(r.downtimeMinutes, "min")],
    ["Maintenance", num(r.maintenanceMinutes, "min")],
    [`Error budget at ${pct(r.slo)}`, num(r.errorBudgetMinutes, "min")],
    ["Error budget left", num(r.errorBudgetLeftMinutes, "min")],
    [
      "Latency p50 / p95 / p99",
      `${num(r.latencyMs.p50, "ms")} / ${num(r.latencyMs.p95, "ms")} / ${num(r.latencyMs.p99, "ms")}`,
    ],
  ];
  const incidents = r.incidents
    .map(
      (i) =>
        `<tr><td>${esc(i.from)}</td><td>${esc(i.to ?? "ongoing")}</td><td>${num(i.durationMinutes, "min")}</td></tr>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Uptime report: ${esc(subject)}</title></head><body>
<h1>Uptime report: ${esc(subject)}</h1><table>${rows.map(([k, v]) => `<tr><th align="left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>
<h2>Incidents</h2><table><tr><th>From</th><th>To</th><th>Duration</th></tr>${incidents}</table><p><a href="${esc(csvHref)}">CSV</a></p></body></html>`;
}
