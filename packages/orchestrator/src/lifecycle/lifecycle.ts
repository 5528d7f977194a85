import { ActionRegistry } from "./actions.ts";
import { planRestart, planStart, planStop } from "./plan.ts";
import { executeRollback } from "./rollback.ts";
import { executeStart } from "./start-run.ts";
import { stopServices } from "./stop-run.ts";
import type { ActionHandle, ActionRecord, LifecycleDeps } from "./types.ts";

export interface Lifecycle {
  start(targets?: string[], opts?: { requestedBy?: string }): ActionHandle;
  stop(targets?: string[], opts?: { requestedBy?: string }): ActionHandle;
  restart(targets: string[], opts?: { withDependents?: boolean; requestedBy?: string }): ActionHandle;
  rollback(service: string, opts?: { requestedBy?: string }): ActionHandle;
  cancel(actionId: string): boolean;
  actions(): ActionRecord[];
  action(id: string): ActionRecord | undefined;
  isBusy(service: string): boolean;
  /** Cancels running actions and waits for them to wind down. */
  close(): Promise<void>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Plans first (reported as `action.planned`), then executes wave by wave with step events. */
export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const registry = new ActionRegistry(deps.onEvent, deps.setActiveAction);
  const who = (opts?: { requestedBy?: string }) => opts?.requestedBy ?? "user";

  return {
    start(targets = [], opts) {
      const waves = planStart(deps.graph(), targets);
      return registry.begin("start", targets, waves, who(opts), (ctx) =>
        executeStart(deps, ctx, waves, { explicit: targets, skipRunning: true }),
      );
    },

    stop(targets = [], opts) {
      const waves = planStop(deps.graph(), targets);
      return registry.begin("stop", targets, waves, who(opts), async (ctx) => {
        const failures = await stopServices(deps, ctx, waves, "stopped");
        if (ctx.signal.aborted) return { result: "cancelled", message: "cancelled" };
        return failures.length > 0
          ? { result: "failed", message: failures.join("; ") }
          : { result: "succeeded", message: `stopped ${plural(waves.flat().length, "service")}` };
      });
    },

    restart(targets, opts) {
      const plan = planRestart(deps.graph(), targets, opts?.withDependents === true);
      // The reported waves are the start order; the stop phase is its reverse.
      return registry.begin("restart", targets, plan.start, who(opts), async (ctx) => {
        const external = plan.start.flat().filter((n) => deps.service(n).kind === "external");
        if (external.length > 0) {
          const message = `service "${external[0]}" is external: Vigil only probes it and cannot start or stop it`;
          for (const name of plan.start.flat()) ctx.step(name, "skipped", message);
          return { result: "failed", message };
        }
        const failures = await stopServices(deps, ctx, plan.stop, "stopped");
        if (failures.length > 0) return { result: "failed", message: failures.join("; ") };
        if (ctx.signal.aborted) return { result: "cancelled", message: "cancelled" };
        const started = await executeStart(deps, ctx, plan.start, { explicit: targets, skipRunning: false });
        return started.result === "succeeded"
          ? { ...started, message: `restarted ${plural(plan.start.flat().length, "service")}` }
          : started;
      });
    },

    rollback(service, opts) {
      deps.graph().waveOf(service); // throws a clear error for an unknown service
      return registry.begin("rollback", [service], [[service]], who(opts), (ctx) =>
        executeRollback(deps, ctx, service),
      );
    },

    cancel: (id) => registry.cancel(id),
    actions: () => registry.list(),
    action: (id) => registry.get(id),
    isBusy: (service) => registry.isBusy(service),
    close: () => registry.cancelAll(),
  };
}
