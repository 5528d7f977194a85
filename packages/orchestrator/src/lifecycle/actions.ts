import { randomUUID } from "node:crypto";
import type { ActionKind, ActionPlan, ActionResult, EngineEvent, StepState } from "../events.ts";
import type { ActionHandle, ActionOutcome, ActionRecord, StepRecord } from "./types.ts";

/** What an action's body gets: its signal, and a way to report steps. */
export interface ActionContext {
  id: string;
  plan: ActionPlan;
  /** Aborted by cancel(actionId). */
  signal: AbortSignal;
  step(service: string, state: StepState, message?: string, stage?: string): void;
  /** Last reported state of each service. */
  states: Map<string, StepState>;
}

/** What an action's body returns; the registry adds id, kind, timing and states. */
export type ActionBody = (ctx: ActionContext) => Promise<{
  result: ActionResult;
  message: string;
  extra?: Pick<ActionOutcome, "rollback" | "failureReport">;
}>;

interface Running {
  record: ActionRecord;
  controller: AbortController;
  handle: ActionHandle;
}

/**
 * One action per service at a time: a request touching a busy service gets the running action's
 * handle back (`deduplicated`), so a double click never restarts twice. Keeps the last
 * `keep` actions with their steps in memory.
 */
export class ActionRegistry {
  readonly #records: ActionRecord[] = [];
  readonly #running = new Map<string, Running>();
  readonly #busy = new Map<string, string>();

  constructor(
    private readonly onEvent: (event: EngineEvent) => void,
    private readonly onActive: (
      service: string,
      active: { id: string; kind: string; requestedBy: string } | undefined,
    ) => void,
    private readonly keep = 100,
  ) {}

  begin(
    kind: ActionKind,
    targets: string[],
    waves: string[][],
    requestedBy: string,
    body: ActionBody,
  ): ActionHandle {
    const services = [...new Set(waves.flat())];
    for (const service of services) {
      const holder = this.#running.get(this.#busy.get(service) ?? "");
      if (holder) return { ...holder.handle, deduplicated: true };
    }
    const id = `act_${randomUUID().slice(0, 8)}`;
    const plan: ActionPlan = { actionId: id, kind, targets, waves, requestedBy };
    const record: ActionRecord = { id, kind, plan, startedAt: new Date(), steps: [] };
    const controller = new AbortController();
    const waveOf = new Map(waves.flatMap((wave, i) => wave.map((name) => [name, i] as const)));
    const states = new Map<string, StepState>();
    const step = (service: string, state: StepState, message?: string, stage?: string) => {
      const at = new Date();
      const wave = waveOf.get(service) ?? 0;
      const entry: StepRecord = {
        service,
        wave,
        state,
        at,
        elapsedMs: at.getTime() - record.startedAt.getTime(),
      };
      if (message !== undefined) entry.message = message;
      if (stage !== undefined) entry.stage = stage;
      record.steps.push(entry);
      states.set(service, state);
      this.onEvent({ type: "action.step", actionId: id, service, wave, state, at, message, stage });
    };
    for (const service of services) {
      this.#busy.set(service, id);
      this.onActive(service, { id, kind, requestedBy });
    }
    this.#records.push(record);
    if (this.#records.length > this.keep) this.#records.splice(0, this.#records.length - this.keep);
    this.onEvent({ type: "action.planned", at: record.startedAt, plan });
    for (const service of services) step(service, "planned");

    const done = (async (): Promise<ActionOutcome> => {
      let result: Awaited<ReturnType<ActionBody>>;
      try {
        result = await body({ id, plan, signal: controller.signal, step, states });
      } catch (error) {
        result = { result: "failed", message: error instanceof Error ? error.message : String(error) };
      }
      if (controller.signal.aborted && result.result === "succeeded")
        result = { ...result, result: "cancelled" };
      const finishedAt = new Date();
      const outcome: ActionOutcome = {
        actionId: id,
        kind,
        result: result.result,
        message: result.message,
        durationMs: finishedAt.getTime() - record.startedAt.getTime(),
        services: Object.fromEntries(states),
        ...result.extra,
      };
      record.finishedAt = finishedAt;
      record.outcome = outcome;
      for (const service of services) {
        if (this.#busy.get(service) === id) this.#busy.delete(service);
        this.onActive(service, undefined);
      }
      this.#running.delete(id);
      this.onEvent({
        type: "action.finished",
        actionId: id,
        kind,
        result: outcome.result,
        at: finishedAt,
        durationMs: outcome.durationMs,
        message: outcome.message,
      });
      return outcome;
    })();
    const handle: ActionHandle = { actionId: id, deduplicated: false, plan, done };
    this.#running.set(id, { record, controller, handle });
    return handle;
  }

  /** Aborts a running action; false when it is unknown or already finished. */
  cancel(actionId: string): boolean {
    const running = this.#running.get(actionId);
    if (!running) return false;
    running.controller.abort(new Error("cancelled"));
    return true;
  }

  isBusy(service: string): boolean {
    return this.#busy.has(service);
  }

  list(): ActionRecord[] {
    return [...this.#records].reverse();
  }

  get(actionId: string): ActionRecord | undefined {
    return this.#records.find((r) => r.id === actionId);
  }

  /** Aborts every running action and waits (bounded by the actions' own timeouts) for them. */
  async cancelAll(): Promise<void> {
    const pending = [...this.#running.values()];
    for (const running of pending) running.controller.abort(new Error("engine closing"));
    await Promise.allSettled(pending.map((r) => r.handle.done));
  }
}
