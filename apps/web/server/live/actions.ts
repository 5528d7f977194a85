import type { EngineEvent } from "@vigil/orchestrator";
import type { ActionDelta, ActionStepView, ActionView } from "../../lib/contract.ts";

type ActionEvent = Extract<EngineEvent, { type: "action.planned" | "action.step" | "action.finished" }>;

/**
 * Action progress as the browser sees it, built from engine events. Recent actions stay in memory
 * (bounded) so GET /api/actions/:id answers while an action runs even if the store is down; older
 * ones come from the store. Also remembers idempotency keys so a browser retry gets the same id.
 */
export class ActionTracker {
  readonly #actions = new Map<string, ActionView>();
  /** Ids of actions another cluster member runs (mirrored from its deltas): not ours to cancel. */
  readonly #remote = new Set<string>();
  readonly #keys = new Map<string, { actionId: string; at: number }>();
  readonly #max: number;
  readonly #keyTtlMs: number;

  constructor(opts: { max?: number; keyTtlMs?: number } = {}) {
    this.#max = opts.max ?? 200;
    this.#keyTtlMs = opts.keyTtlMs ?? 10 * 60_000;
  }

  apply(event: ActionEvent): ActionView | undefined {
    if (event.type === "action.planned") {
      const view: ActionView = {
        id: event.plan.actionId,
        kind: event.plan.kind,
        targets: event.plan.targets,
        waves: event.plan.waves,
        requestedBy: event.plan.requestedBy,
        startedAt: event.at.toISOString(),
        finishedAt: null,
        result: "running",
        message: null,
        steps: [],
      };
      this.#actions.set(view.id, view);
      this.#evict();
      return view;
    }
    const view = this.#actions.get(event.actionId);
    if (!view) return undefined;
    if (event.type === "action.step") addStep(view, toStep(event));
    else finish(view, event.at.toISOString(), event.result, event.message);
    return view;
  }

  /**
   * An action another cluster member runs, from the deltas it sends its peers: so this instance's
   * GET /api/actions answers for it with its steps, as the owner's does.
   */
  applyRemote(delta: ActionDelta): void {
    if (delta.type === "planned") {
      this.#actions.set(delta.action.id, { ...delta.action, steps: [...delta.action.steps] });
      this.#remote.add(delta.action.id);
      this.#evict();
      return;
    }
    const view = this.#remote.has(delta.actionId) ? this.#actions.get(delta.actionId) : undefined;
    if (!view) return;
    if (delta.type === "step") addStep(view, delta.step);
    else finish(view, delta.at, delta.result, delta.message);
  }

  /** True for an action this instance's engine runs (or ran), false for one mirrored from a peer. */
  runsHere(id: string): boolean {
    return this.#actions.has(id) && !this.#remote.has(id);
  }

  get(id: string): ActionView | undefined {
    return this.#actions.get(id);
  }

  list(): ActionView[] {
    return [...this.#actions.values()].reverse();
  }

  rememberKey(key: string, actionId: string): void {
    this.#keys.set(key, { actionId, at: Date.now() });
  }

  byKey(key: string): string | undefined {
    const hit = this.#keys.get(key);
    if (!hit) return undefined;
    if (Date.now() - hit.at > this.#keyTtlMs) {
      this.#keys.delete(key);
      return undefined;
    }
    return hit.actionId;
  }

  #evict(): void {
    while (this.#actions.size > this.#max) {
      const oldest = this.#actions.keys().next().value;
      if (oldest === undefined) break;
      this.#actions.delete(oldest);
      this.#remote.delete(oldest);
    }
    const now = Date.now();
    for (const [key, hit] of this.#keys) if (now - hit.at > this.#keyTtlMs) this.#keys.delete(key);
  }
}

function addStep(view: ActionView, step: ActionStepView): void {
  view.steps.push(step);
  // A long action on many services must not grow without bound in memory.
  if (view.steps.length > 500) view.steps.splice(0, view.steps.length - 500);
}

function finish(view: ActionView, at: string, result: ActionView["result"], message: string): void {
  view.finishedAt = at;
  view.result = result;
  view.message = message;
}

export function toStep(event: Extract<EngineEvent, { type: "action.step" }>): ActionStepView {
  return {
    service: event.service,
    wave: event.wave,
    state: event.state,
    at: event.at.toISOString(),
    message: event.message ?? null,
    stage: event.stage ?? null,
  };
}
