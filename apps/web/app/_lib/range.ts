import { prettyQuery } from "./query";
import { isoWithOffset, parseInstant } from "./time";

export const PRESETS = {
  "15m": { label: "15 m", ms: 15 * 60_000 },
  "1h": { label: "1 h", ms: 3_600_000 },
  "24h": { label: "24 h", ms: 86_400_000 },
  "7d": { label: "7 d", ms: 7 * 86_400_000 },
  "30d": { label: "30 d", ms: 30 * 86_400_000 },
} as const;
export type Preset = keyof typeof PRESETS;
export const DEFAULT_PRESET: Preset = "1h";

export type RangeSpec = { kind: "preset"; preset: Preset } | { kind: "absolute"; from: Date; to: Date };

export function isPreset(value: string | undefined): value is Preset {
  return value !== undefined && value in PRESETS;
}

/** Reads `?range=1h` or `?from=…&to=…` (absolute wins when both are valid). */
export function parseRange(params: { range?: string; from?: string; to?: string }): RangeSpec {
  const from = parseInstant(params.from);
  const to = parseInstant(params.to);
  if (from && to && from < to) return { kind: "absolute", from, to };
  return { kind: "preset", preset: isPreset(params.range) ? params.range : DEFAULT_PRESET };
}

/** How often a sliding preset window moves: ~1/120 of its span, at least 5 s. */
export function presetStepMs(preset: Preset): number {
  return Math.max(5000, Math.floor(PRESETS[preset].ms / 120));
}

/** The concrete window; sliding presets are anchored to `now` rounded to their step. */
export function resolveRange(spec: RangeSpec, now: number): { from: string; to: string; spanMs: number } {
  if (spec.kind === "absolute") {
    return {
      from: isoWithOffset(spec.from),
      to: isoWithOffset(spec.to),
      spanMs: spec.to.getTime() - spec.from.getTime(),
    };
  }
  const step = presetStepMs(spec.preset);
  const to = Math.ceil(now / step) * step;
  const span = PRESETS[spec.preset].ms;
  return { from: isoWithOffset(to - span), to: isoWithOffset(to), spanMs: span };
}

/** URL params for a window around an instant or a period (ongoing: pass now as `toIso`). */
export function windowAround(fromIso: string, toIso?: string | null, padMs = 15 * 60_000): URLSearchParams {
  const start = new Date(fromIso).getTime();
  const end = toIso ? new Date(toIso).getTime() : start;
  const sp = new URLSearchParams();
  sp.set("from", isoWithOffset(start - padMs));
  sp.set("to", isoWithOffset(end + padMs));
  return sp;
}

export { prettyQuery };

export function serviceHref(name: string, params?: URLSearchParams): string {
  const qs = params ? prettyQuery(params) : "";
  return `/services/${encodeURIComponent(name)}${qs ? `?${qs}` : ""}`;
}
