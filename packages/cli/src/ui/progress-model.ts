import type { ActionKind, ActionPlan, EngineEvent, StepState } from "@vigil/orchestrator";

/** One service's line in an action's progress. */
export interface ProgressRow {
  service: string;
  wave: number;
  state: StepState;
  message?: string | undefined;
  /** Staged-check stage reached while starting. */
  stage?: string | undefined;
  /** When work on it began (first step after "planned"), ms since epoch. */
  activeSince?: number | undefined;
  /** When it reached a final state, ms since epoch. */
  doneAt?: number | undefined;
}

const FINAL: ReadonlySet<StepState> = new Set([
  "healthy",
  "started",
  "failed",
  "stopped",
  "rolled-back",
  "skipped",
]);
const IDLE: ReadonlySet<StepState> = new Set(["planned", "waiting"]);

export const isFinal = (state: StepState): boolean => FINAL.has(state);
export const isBusy = (state: StepState): boolean => !FINAL.has(state) && !IDLE.has(state);

/**
 * The state of one action as its events describe it. Events may arrive before the caller knows
 * the action id (the engine reports the plan synchronously), so they are buffered until `follow`.
 */
export class ProgressModel {
  kind: ActionKind | undefined;
  waves: string[][] = [];
  startedAt = Date.now();
  /** Longest service name, so plain lines line up. */
  nameWidth = 0;
  readonly rows = new Map<string, ProgressRow>();
  #actionId: string | undefined;
  readonly #pending: EngineEvent[] = [];

  follow(plan: ActionPlan, startedAt = Date.now()): void {
    this.#actionId = plan.actionId;
    this.kind = plan.kind;
    this.waves = plan.waves.map((wave) => [...wave]);
    this.startedAt = startedAt;
    this.nameWidth = Math.max(0, ...plan.waves.flat().map((name) => name.length));
    plan.waves.forEach((wave, index) => {
      for (const service of wave) this.rows.set(service, { service, wave: index, state: "planned" });
    });
    for (const event of this.#pending.splice(0)) this.apply(event);
  }

  /** Applies an event; returns the row it changed, if it belongs to the followed action. */
  apply(event: EngineEvent): ProgressRow | undefined {
    if (this.#actionId === undefined) {
      this.#pending.push(event);
      return undefined;
    }
    if (event.type === "action.planned" && event.plan.actionId === this.#actionId) {
      this.startedAt = event.at.getTime();
      return undefined;
    }
    if (event.type !== "action.step" || event.actionId !== this.#actionId) return undefined;
    const at = event.at.getTime();
    const row = this.rows.get(event.service) ?? {
      service: event.service,
      wave: event.wave,
      state: "planned",
    };
    row.state = event.state;
    row.wave = event.wave;
    if (event.message !== undefined) row.message = event.message;
    // A stage belongs to the start in progress; once it moves on (stopping, failed) it is history.
    row.stage = event.stage ?? (event.state === "starting" ? row.stage : undefined);
    // Time is shown for real work only: a service found healthy or skipped at once has none.
    if (row.activeSince === undefined && isBusy(event.state)) row.activeSince = at;
    row.doneAt = FINAL.has(event.state) ? at : undefined;
    this.rows.set(event.service, row);
    return row;
  }

  /** Time spent on a service: until now while busy, until it finished otherwise. */
  elapsed(row: ProgressRow, now: number): number | undefined {
    if (row.activeSince === undefined) return undefined;
    return (row.doneAt ?? now) - row.activeSince;
  }
}
