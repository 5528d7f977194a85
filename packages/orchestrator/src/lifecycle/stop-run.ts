import type { StepState } from "../events.ts";
import type { ActionContext } from "./actions.ts";
import { askNode, runsOn } from "./elsewhere.ts";
import { runtimeOf } from "./service-start.ts";
import type { LifecycleDeps } from "./types.ts";

/**
 * Stops `waves` in the given order (each wave in parallel), reporting `stopping` then `final`.
 * A service another cluster node runs is stopped by that node, when it can be asked (deps.actOn).
 * A user stop cancels any pending restart-policy timer first, so it never triggers the policy.
 * Returns the failures as messages.
 */
export async function stopServices(
  deps: LifecycleDeps,
  ctx: Pick<ActionContext, "step" | "plan">,
  waves: string[][],
  final: StepState,
  message?: string,
): Promise<string[]> {
  const failures: string[] = [];
  for (const wave of waves) {
    await Promise.all(
      wave.map(async (name) => {
        const service = deps.service(name);
        if (service.kind === "external") {
          ctx.step(name, "skipped", "external: Vigil does not stop it");
          return;
        }
        const node = deps.elsewhere?.(name);
        if (node !== undefined && deps.actOn) {
          // Its node stops it, in this plan's order: the next wave waits until the node says done.
          // Bounded by the node timeout, not the action's signal: a stop is also how a cancelled
          // start cleans up, and that cancel must not abort its own clean-up.
          const failure = await askNode(deps.actOn, deps, ctx, node, "stop", [name]);
          if (failure !== undefined) failures.push(`${name}: ${failure}`);
          else ctx.step(name, final, message ?? `stopped by node ${node}`);
          return;
        }
        if (node !== undefined) {
          ctx.step(name, "skipped", runsOn(node));
          return;
        }
        if (service.kind === "job") {
          ctx.step(name, "skipped", "job: nothing runs between its runs");
          return;
        }
        deps.cancelPolicy(name);
        const runner = deps.runnerFor(service);
        const before = await runner.status(name, service);
        // An exited service still goes through stop: the runner records that it is now down on purpose.
        const up = before.state === "running" || before.state === "starting" || before.state === "exited";
        if (!up && final === "stopped" && !message) {
          ctx.step(name, "skipped", "not running");
          return;
        }
        ctx.step(name, "stopping");
        deps.setRuntime(name, { state: "stopping" });
        try {
          const after = await runner.stop(name, service);
          deps.setRuntime(name, runtimeOf(after));
          ctx.step(name, final, message);
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          failures.push(`${name}: ${text}`);
          ctx.step(name, "failed", text);
        }
      }),
    );
  }
  return failures;
}
