import type { ActionKind } from "../events.ts";
import type { ActionContext } from "./actions.ts";
import type { LifecycleDeps, NodeRequest } from "./types.ts";

/** Said on a step or a refused action of a service another cluster instance runs (`node:`). */
export const runsOn = (node: string): string => `runs on node ${node}: that instance starts and stops it`;

const DO_IT: Record<ActionKind, string> = {
  start: "start it",
  stop: "stop it",
  restart: "restart it",
  rollback: "roll it back",
};

/** Beyond the services' own stop grace and startup timeout: forwarding, the node's queue, polling. */
const NODE_MARGIN_MS = 30_000;

/** How long `node` may take for `kind` of `names`: what it would take here, plus a margin. */
function nodeTimeoutMs(deps: LifecycleDeps, kind: ActionKind, names: readonly string[]): number {
  let total = NODE_MARGIN_MS;
  for (const name of names) {
    const service = deps.service(name);
    if (kind !== "start") total += service.stop_grace;
    if (kind !== "stop") total += service.startup_timeout;
  }
  return total;
}

/** The one node that runs every one of `names`, if another node runs them all. */
export function soleNode(deps: LifecycleDeps, names: readonly string[]): string | undefined {
  const nodes = new Set(names.map((n) => deps.elsewhere?.(n)));
  const [only] = nodes;
  return nodes.size === 1 ? only : undefined;
}

/**
 * Asks `node` to run `kind` on exactly `names` (deps.actOn) and says so on their steps, then
 * waits for the node's own action to finish. Undefined when the node reports it succeeded (the
 * caller words the success); else the reason, already reported as each step's failure.
 */
export async function askNode(
  actOn: NonNullable<LifecycleDeps["actOn"]>,
  deps: LifecycleDeps,
  ctx: Pick<ActionContext, "step" | "plan">,
  node: string,
  kind: ActionKind,
  names: string[],
  signal?: AbortSignal,
): Promise<string | undefined> {
  const doIt = DO_IT[kind];
  for (const name of names)
    ctx.step(name, kind === "stop" ? "stopping" : "starting", `asking node ${node} to ${doIt}`);
  const request: NodeRequest = { kind, targets: names, requestedBy: ctx.plan.requestedBy };
  try {
    await actOn(node, request, {
      timeoutMs: nodeTimeoutMs(deps, kind, names),
      ...(signal ? { signal } : {}),
    });
    return undefined;
  } catch (error) {
    const reason = `node ${node} did not ${doIt}: ${error instanceof Error ? error.message : String(error)}`;
    for (const name of names) ctx.step(name, "failed", reason);
    return reason;
  }
}
