import { setTimeout as sleep } from "node:timers/promises";
import type { NodeActOn } from "../ports.ts";
import type { ActionState } from "../rest/actions.ts";
import type { OwnerRouting } from "../rest/deps.ts";

/** How often the node is asked where its action stands. */
const POLL_MS = 200;
/** Actions already running there on the same services, waited out before ours is asked again. */
const ATTEMPTS = 3;

/**
 * The engine's `actOn` in cluster mode: forwards the action, on exactly those services, to the
 * node that runs them for the user who asked (cluster/forward.ts), then asks that node where the
 * action stands until it has finished. The node runs one action per service and answers a request
 * for a busy service with the action already running there (`deduplicated`); that one is waited
 * out and ours asked again, so a stop never passes for the start it landed on, nor a start for
 * the stop.
 */
export function actOn(routing: OwnerRouting, pollMs = POLL_MS): NodeActOn {
  return async (node, { kind, targets, requestedBy }, opts) => {
    const deadline = AbortSignal.timeout(opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const what = targets.join(", ");
    let last = "";
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const accepted = await routing.action({ kind, targets, withDependents: false }, requestedBy, {
        alone: true,
      });
      if (!accepted) throw new Error(`this instance, not node ${node}, runs ${what} now; try again`);
      let state: ActionState;
      try {
        state = await settled(routing, accepted.actionId, targets, requestedBy, signal, pollMs);
      } catch (error) {
        if (!signal.aborted) throw error;
        if (deadline.aborted)
          throw new Error(
            `its action ${accepted.actionId} did not finish within ${opts.timeoutMs / 1000} s (it may still, there)`,
          );
        // Cancelled here: so is ours there (never another's we only waited on).
        if (!accepted.deduplicated)
          await routing.cancel(accepted.actionId, targets, requestedBy).catch(() => undefined);
        throw new Error(`cancelled (its action ${accepted.actionId} too)`);
      }
      if (!accepted.deduplicated) {
        if (state.result === "succeeded") return;
        throw new Error(
          `its action ${accepted.actionId} ${state.result}: ${state.message ?? "no reason given"}`,
        );
      }
      last = accepted.actionId;
    }
    throw new Error(
      `it kept running other actions on ${what} (the last ${last}); try again when they are done`,
    );
  };
}

/** Asks the owner where `actionId` stands until it has finished; bounded by `signal`. */
async function settled(
  routing: OwnerRouting,
  actionId: string,
  targets: readonly string[],
  requestedBy: string,
  signal: AbortSignal,
  pollMs: number,
): Promise<ActionState> {
  for (;;) {
    signal.throwIfAborted();
    const state = await routing.state(actionId, targets, requestedBy);
    if (!state) throw new Error(`this instance runs ${targets.join(", ")} now, not the node asked`);
    if (state.result !== "running") return state;
    await sleep(pollMs, undefined, { signal });
  }
}
