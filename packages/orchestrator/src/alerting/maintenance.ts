import { Cron } from "croner";
import type { MaintenanceSpecConfig } from "./config.ts";

/** A maintenance window in force for a service at some instant. */
export interface ActiveMaintenance {
  /** The window's name, or `maintenance[i]` when it has none; "silence" for a manual silence. */
  window: string;
  /** When this occurrence ends (ms since epoch). */
  until: number;
  pauseRestarts: boolean;
}

/** A manual "silence this service" (UI or `vigil silence api 1h`): a one-off window for one service. */
export interface Silence {
  service: string;
  from: number;
  until: number;
  by?: string;
}

/** Where a service sits, for matching windows by group. */
export interface ServiceRef {
  name: string;
  group: string;
}

/**
 * Answers "is this service in maintenance at instant t?" from the configured windows plus manual
 * silences. Pure: the same inputs give the same answer; recurring windows use croner in the
 * window's time zone, so "02:00 Europe/Berlin" follows daylight saving.
 */
export class MaintenanceCalendar {
  readonly #windows: { spec: MaintenanceSpecConfig; label: string; cron?: Cron }[];
  readonly #silences: Silence[];

  constructor(windows: readonly MaintenanceSpecConfig[], silences: readonly Silence[] = []) {
    this.#windows = windows.map((spec, i) => ({
      spec,
      label: spec.name ?? `maintenance[${i}]`,
      ...(spec.cron === undefined
        ? {}
        : { cron: new Cron(spec.cron, { timezone: spec.timezone, paused: true }) }),
    }));
    this.#silences = [...silences];
  }

  /** A copy with one more manual silence. */
  withSilence(silence: Silence): MaintenanceCalendar {
    return new MaintenanceCalendar(
      this.#windows.map((w) => w.spec),
      [...this.#silences, silence],
    );
  }

  /** The window in force for `service` at `at` (the one ending last when several overlap). */
  activeFor(service: ServiceRef, at: number): ActiveMaintenance | undefined {
    let best: ActiveMaintenance | undefined;
    const consider = (candidate: ActiveMaintenance) => {
      if (!best || candidate.until > best.until) best = candidate;
    };
    for (const silence of this.#silences) {
      if (silence.service === service.name && silence.from <= at && at < silence.until) {
        consider({ window: "silence", until: silence.until, pauseRestarts: false });
      }
    }
    for (const { spec, label, cron } of this.#windows) {
      if (!covers(spec, service)) continue;
      const until = occurrenceEnd(spec, cron, at);
      if (until !== undefined) consider({ window: label, until, pauseRestarts: spec.pause_restarts });
    }
    return best;
  }
}

/** Occurrences of one recurring window looked at per range (a minutely cron over a week fits). */
const MAX_OCCURRENCES = 20_000;

/**
 * The ranges [from, to) in which `service` was (or will be) in maintenance within [from, to):
 * silences, one-off windows and every occurrence of recurring ones, clipped to the range and
 * merged. For leaving maintenance out of uptime.
 */
export function maintenanceRanges(
  windows: readonly MaintenanceSpecConfig[],
  silences: readonly Silence[],
  service: ServiceRef,
  from: number,
  to: number,
): { from: number; to: number }[] {
  const found: { from: number; to: number }[] = [];
  for (const s of silences) if (s.service === service.name) found.push({ from: s.from, to: s.until });
  for (const spec of windows) {
    if (!covers(spec, service)) continue;
    if (spec.from !== undefined && spec.to !== undefined) {
      found.push({ from: Date.parse(spec.from), to: Date.parse(spec.to) });
      continue;
    }
    if (spec.cron === undefined || spec.duration === undefined) continue;
    const cron = new Cron(spec.cron, { timezone: spec.timezone, paused: true });
    // An occurrence that started before `from` and still runs at it counts too.
    let run = cron.nextRun(new Date(from - spec.duration));
    for (let i = 0; run && run.getTime() < to && i < MAX_OCCURRENCES; i++) {
      found.push({ from: run.getTime(), to: run.getTime() + spec.duration });
      run = cron.nextRun(run);
    }
  }
  const clipped = found
    .map((r) => ({ from: Math.max(r.from, from), to: Math.min(r.to, to) }))
    .filter((r) => r.from < r.to)
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const r of clipped) {
    const last = merged.at(-1);
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}

function covers(spec: MaintenanceSpecConfig, service: ServiceRef): boolean {
  return (
    spec.all === true ||
    (spec.services?.includes(service.name) ?? false) ||
    (spec.groups?.includes(service.group) ?? false)
  );
}

/** End of the occurrence containing `at`, or undefined when the window is not in force then. */
function occurrenceEnd(spec: MaintenanceSpecConfig, cron: Cron | undefined, at: number): number | undefined {
  if (spec.from !== undefined && spec.to !== undefined) {
    const from = Date.parse(spec.from);
    const to = Date.parse(spec.to);
    return from <= at && at < to ? to : undefined;
  }
  if (!cron || spec.duration === undefined) return undefined;
  // The latest start at or before `at` (croner's previousRuns excludes the reference itself).
  const start = cron.match(new Date(at))
    ? at - (at % 1000)
    : cron.previousRuns(1, new Date(at))[0]?.getTime();
  if (start === undefined) return undefined;
  const end = start + spec.duration;
  return at < end ? end : undefined;
}
