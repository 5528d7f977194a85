import type { ProbeResult } from "@vigil/orchestrator";
import { type Palette, paintStatus } from "./color.ts";
import { formatLatency } from "./format.ts";

/*
 * `vigil health --deep`: the facts behind one check result, one indented line each. Probe
 * details are kind-specific and loosely typed, so everything here reads them defensively.
 */

type Loose = Record<string, unknown>;
const isRecord = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** Dependencies of a health document, as a map or a list of {name, status}. */
function dependencies(deps: unknown, palette: Palette): string[] {
  const entries: [string, unknown][] = Array.isArray(deps)
    ? deps.map((d, i) => [isRecord(d) && typeof d.name === "string" ? d.name : `#${i}`, d])
    : isRecord(deps)
      ? Object.entries(deps)
      : [];
  return entries.map(([name, value]) => {
    const status = isRecord(value) ? value.status : value;
    const latency =
      isRecord(value) && typeof value.latency_ms === "number" ? ` ${formatLatency(value.latency_ms)}` : "";
    return `${name} ${paintStatus(palette, text(status))}${latency}`;
  });
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function resources(res: unknown): string {
  if (!isRecord(res)) return text(res);
  return Object.entries(res)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "number" && key.endsWith("bytes") ? bytes(value) : text(value)}`,
    )
    .join(", ");
}

/** The stage ladder of a staged check: every stage run, then those not reached. */
function ladder(result: ProbeResult, stageNames: string[], palette: Palette): string[] {
  const run = Array.isArray(result.details?.stages)
    ? (result.details.stages as unknown[]).filter(isRecord)
    : [];
  const total = result.stage?.total ?? stageNames.length;
  const lines = run.map((stage, i) => {
    const ok = stage.status === "healthy" || stage.status === "degraded";
    const mark = ok ? palette.green("✓") : palette.red("✗");
    const latency =
      typeof stage.latencyMs === "number" ? `  ${palette.dim(formatLatency(stage.latencyMs))}` : "";
    const why = ok ? "" : `  ${text(stage.message)}`;
    return `${i + 1}/${total} ${mark} ${text(stage.name)}${latency}${why}`;
  });
  for (let i = run.length; i < total; i++)
    lines.push(`${i + 1}/${total} ${palette.dim(`· ${stageNames[i] ?? "?"}  not reached`)}`);
  return lines;
}

function children(list: unknown, palette: Palette): string[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((child) => {
    const latency =
      typeof child.latencyMs === "number" ? ` ${palette.dim(formatLatency(child.latencyMs))}` : "";
    return `${text(child.name)} ${paintStatus(palette, text(child.status))}${latency}  ${text(child.message)}`;
  });
}

/** Indented detail lines for one result; `stageNames` come from the check's spec. */
export function detailLines(result: ProbeResult, palette: Palette, stageNames: string[] = []): string[] {
  const details = result.details ?? {};
  const lines: string[] = [];
  if (typeof details.httpStatus === "number") lines.push(`http status: ${details.httpStatus}`);
  const health = details.health;
  if (isRecord(health)) {
    lines.push(`health document: ${paintStatus(palette, text(health.status))}`);
    const deps = dependencies(health.dependencies, palette);
    if (deps.length > 0) lines.push(`dependencies: ${deps.join(", ")}`);
    if (health.resources !== undefined) lines.push(`resources: ${resources(health.resources)}`);
  }
  if (result.stage || Array.isArray(details.stages))
    lines.push("stages:", ...ladder(result, stageNames, palette).map((l) => `  ${l}`));
  if (Array.isArray(details.children))
    lines.push(`${text(details.mode)} of:`, ...children(details.children, palette).map((l) => `  ${l}`));
  const shown = new Set(["httpStatus", "health", "stages", "children", "mode", "need"]);
  for (const [key, value] of Object.entries(details)) {
    if (!shown.has(key) && value !== undefined) lines.push(`${key}: ${text(value)}`);
  }
  return lines;
}
