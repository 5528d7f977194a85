import type { StepState } from "../events.ts";
import type { ActionContext } from "./actions.ts";
import { runtimeOf } from "./service-start.ts";
import type { LifecycleDeps } from "./types.ts";

/**
 * Stops `waves` in the given order (each wave in parallel), reporting `stopping` then `final`.
 * A user stop cancels any pending restart-policy timer first, so it never triggers the policy.
 * Returns the failures as messages.
 */
export async function stopServices(
  deps: LifecycleDeps,
  ctx: Pick<ActionContext, "step">,
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
        deps.cancelPolicy(name);
        const runner = deps.runnerFor(service);
        const before = await runner.status(name, service);
        if (before.state !== "running" && before.state !== "starting" && final === "stopped" && !message) {
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
