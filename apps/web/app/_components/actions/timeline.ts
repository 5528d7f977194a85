import type { ActionStepView, ActionView } from "../../../lib/contract";

export interface Bar {
  service: string;
  /** ms epoch; null = not begun yet (waiting in its wave). */
  start: number | null;
  /** ms epoch; null = still running. */
  end: number | null;
  state: string;
  stage: string | null;
  message: string | null;
}

const TERMINAL = new Set(["healthy", "started", "failed", "stopped", "rolled-back", "skipped"]);
const BEGUN = new Set(["starting", "stopping", ...TERMINAL]);

export function isTerminal(state: string): boolean {
  return TERMINAL.has(state);
}

/** One bar per service per wave, from its first starting/stopping step to its terminal step. */
export function lanes(action: ActionView): Bar[][] {
  const byService = new Map<string, ActionStepView[]>();
  for (const step of action.steps) {
    const list = byService.get(step.service) ?? [];
    list.push(step);
    byService.set(step.service, list);
  }
  return action.waves.map((wave) =>
    wave.map((service) => {
      const steps = byService.get(service) ?? [];
      const begun = steps.find((s) => BEGUN.has(s.state));
      const last = steps.at(-1);
      const done = last && TERMINAL.has(last.state) ? last : undefined;
      const stage = [...steps].reverse().find((s) => s.stage)?.stage ?? null;
      return {
        service,
        start: begun ? Date.parse(begun.at) : null,
        end: done ? Date.parse(done.at) : null,
        state: last?.state ?? "planned",
        stage,
        message: [...steps].reverse().find((s) => s.message)?.message ?? null,
      };
    }),
  );
}

export function barTone(state: string): string {
  switch (state) {
    case "healthy":
    case "started":
    case "stopped":
      return "fill-st-healthy";
    case "failed":
      return "fill-st-unhealthy";
    case "rolled-back":
      return "fill-st-degraded";
    case "skipped":
      return "fill-st-stopped";
    default:
      return "fill-st-starting";
  }
}
