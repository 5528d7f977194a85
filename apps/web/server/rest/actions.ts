import { z } from "zod";
import {
  ActionAccepted,
  ActionRequest,
  ActionStepView,
  ActionsQuery,
  ActionsResponse,
  ActionView,
  ErrorBody,
} from "../../lib/contract.ts";
import { errorMessage, withTimeout } from "../async.ts";
import type { LiveState } from "../live/state.ts";
import type { StoredAction } from "../ports.ts";
import type { RestDeps } from "./deps.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS } from "./shared.ts";

const DB_TIMEOUT_MS = 10_000;
export const CancelAccepted = z.object({ actionId: z.string(), cancelled: z.boolean() });
export type CancelAccepted = z.infer<typeof CancelAccepted>;
/** Where an action stands on the instance that runs it: what another instance waiting on it asks. */
export const ActionState = z.object({
  actionId: z.string(),
  result: ActionView.shape.result,
  message: z.string().nullable(),
});
export type ActionState = z.infer<typeof ActionState>;

export function fromStored(a: StoredAction): ActionView {
  const steps = z.array(ActionStepView).safeParse(a.steps);
  return {
    id: a.id,
    kind: a.kind,
    targets: a.targets,
    waves: a.waves,
    requestedBy: a.requestedBy,
    startedAt: a.startedAt.toISOString(),
    finishedAt: a.finishedAt ? a.finishedAt.toISOString() : null,
    result: a.result,
    message: a.message,
    steps: steps.success ? steps.data : [],
  };
}

function checkTargets(live: LiveState, targets: readonly string[]): void {
  const known = live.config.services;
  targets.forEach((t, i) => {
    if (known[t] === undefined)
      throw new HttpError("bad_request", `targets.${i}: unknown service "${t}"`, `targets.${i}`);
  });
}

/**
 * Runs an action on this instance's engine: the REST route's work, and a forwarded request's on
 * the owner. `requestedBy` is the acting user, wherever they clicked. `alone`: on exactly the
 * targets, when another instance's plan asks (it orders their dependencies and dependents itself).
 */
export function runAction(
  live: LiveState,
  req: ActionRequest,
  requestedBy: string,
  opts: { alone?: boolean } = {},
): ActionAccepted {
  checkTargets(live, req.targets);
  const { engine, actions } = live;
  if (req.idempotencyKey) {
    const existing = actions.byKey(req.idempotencyKey);
    const view = existing ? actions.get(existing) : undefined;
    if (view) return { actionId: view.id, deduplicated: true, plan: { waves: view.waves } };
  }
  let handle: ReturnType<typeof engine.run>;
  try {
    handle = engine.run(req.kind, req.targets, {
      withDependents: req.withDependents,
      requestedBy,
      ...(opts.alone ? { alone: true } : {}),
    });
  } catch (err) {
    // The engine refuses actions it cannot plan (a rollback with no previous revision...).
    throw new HttpError("conflict", errorMessage(err));
  }
  void handle.done.catch(() => undefined);
  if (req.idempotencyKey) actions.rememberKey(req.idempotencyKey, handle.actionId);
  return { actionId: handle.actionId, deduplicated: handle.deduplicated, plan: { waves: handle.plan.waves } };
}

/** Cancels an action this instance's engine runs (the route's work, and a forwarded cancel's). */
export function cancelAction(live: LiveState, id: string): CancelAccepted {
  const view = live.actions.get(id);
  if (view && view.result !== "running")
    throw new HttpError("conflict", `action ${id} already ${view.result}`);
  if (!live.engine.cancel(id)) throw new HttpError("conflict", `action ${id} can no longer be cancelled`);
  return { actionId: id, cancelled: true };
}

/** Where an action this instance's engine runs stands (a forwarded `action.state`). */
export function actionState(live: LiveState, id: string): ActionState {
  const view = live.actions.runsHere(id) ? live.actions.get(id) : undefined;
  if (!view)
    throw new HttpError("not_found", `action ${id} is not one this instance runs (or no longer remembers)`);
  return { actionId: id, result: view.result, message: view.message };
}

export function actionRoutes(deps: RestDeps): Route[] {
  const { live } = deps;
  const { store, actions } = live;

  const lookup = async (id: string): Promise<ActionView> => {
    const recent = actions.get(id);
    if (recent) return recent;
    const stored = await withTimeout(store.action(id), DB_TIMEOUT_MS, "action query");
    if (!stored) throw new HttpError("not_found", `no action with id "${id}"`, "id");
    return fromStored(stored);
  };

  return [
    {
      method: "GET",
      path: "/api/actions",
      permission: "read",
      doc: {
        summary: "Recent actions, newest first",
        tag: "actions",
        query: ActionsQuery,
        responses: { 200: ActionsResponse, ...ERRORS },
      },
      handle: async ({ query }) => {
        const { limit } = parseInput(ActionsQuery, query);
        const recent = actions.list();
        const seen = new Set(recent.map((a) => a.id));
        // The store may be down; the in-memory ones still answer.
        const stored = await withTimeout(store.actions({ limit }), DB_TIMEOUT_MS, "actions query").catch(
          () => [],
        );
        const merged = [...recent, ...stored.filter((a) => !seen.has(a.id)).map(fromStored)];
        merged.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
        const body: ActionsResponse = { actions: merged.slice(0, limit) };
        return { body };
      },
    },
    {
      method: "GET",
      path: "/api/actions/:id",
      permission: "read",
      doc: {
        summary: "One action with its steps",
        tag: "actions",
        responses: { 200: ActionView, ...ERRORS },
      },
      handle: async ({ params }) => ({ body: await lookup(params.id ?? "") }),
    },
    {
      method: "POST",
      path: "/api/actions",
      permission: "act",
      doc: {
        summary:
          "Start, stop, restart or roll back services; progress streams over the socket `action` event",
        tag: "actions",
        body: ActionRequest,
        responses: { 202: ActionAccepted, 409: ErrorBody, ...ERRORS },
      },
      handle: async ({ body, principal }) => {
        const req = parseInput(ActionRequest, body ?? {});
        const requestedBy = principal?.name ?? "anonymous";
        checkTargets(live, req.targets);
        // Cluster mode: the services' owner runs it; its progress reaches this browser by the adapter.
        const forwarded = await deps.routing?.action(req, requestedBy);
        return { status: 202, body: forwarded ?? runAction(live, req, requestedBy) };
      },
    },
    {
      method: "POST",
      path: "/api/actions/:id/cancel",
      permission: "act",
      doc: {
        summary: "Cancel a running action",
        tag: "actions",
        responses: { 202: CancelAccepted, 409: ErrorBody, ...ERRORS },
      },
      handle: async ({ params, principal }) => {
        const id = params.id ?? "";
        const view = await lookup(id);
        if (view.result !== "running") throw new HttpError("conflict", `action ${id} already ${view.result}`);
        // An action this instance runs is cancelled here; one running elsewhere, by its owner.
        const forwarded = actions.runsHere(id)
          ? undefined
          : await deps.routing?.cancel(id, view.targets, principal?.name ?? "anonymous");
        return { status: 202, body: forwarded ?? cancelAction(live, id) };
      },
    },
  ];
}
