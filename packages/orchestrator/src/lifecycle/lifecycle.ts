import { ActionRegistry } from "./actions.ts";
import { askNode, soleNode } from "./elsewhere.ts";
import { exactly, planRestart, planStart, planStop } from "./plan.ts";
import { executeRollback } from "./rollback.ts";
import { executeStart } from "./start-run.ts";
import { stopServices } from "./stop-run.ts";
import type { ActionHandle, ActionRecord, LifecycleDeps } from "./types.ts";

/**
 * `alone`: act on exactly the targets, without the dependencies or dependents a plan adds; what a
 * node runs when another node's plan asks it to (that plan orders the rest).
 */
export interface ActionOptions {
  requestedBy?: string;
  alone?: boolean;
}

export interface Lifecycle {
  start(targets?: string[], opts?: ActionOptions): ActionHandle;
  stop(targets?: string[], opts?: ActionOptions): ActionHandle;
  restart(targets: string[], opts?: ActionOptions & { withDependents?: boolean }): ActionHandle;
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
  const scoped = (waves: string[][], targets: string[], opts?: ActionOptions) =>
    opts?.alone ? exactly(waves, targets) : waves;

  return {
    start(targets = [], opts) {
      const waves = scoped(planStart(deps.graph(), targets), targets, opts);
      return registry.begin("start", targets, waves, who(opts), (ctx) =>
        executeStart(deps, ctx, waves, { explicit: targets, skipRunning: true }),
      );
    },

    stop(targets = [], opts) {
      const waves = scoped(planStop(deps.graph(), targets), targets, opts);
      return registry.begin("stop", targets, waves, who(opts), async (ctx) => {
        const failures = await stopServices(deps, ctx, waves, "stopped");
        if (ctx.signal.aborted) return { result: "cancelled", message: "cancelled" };
        return failures.length > 0
          ? { result: "failed", message: failures.join("; ") }
          : { result: "succeeded", message: `stopped ${plural(waves.flat().length, "service")}` };
      });
    },

    restart(targets, opts) {
      const whole = planRestart(deps.graph(), targets, opts?.withDependents === true);
      const plan = { stop: scoped(whole.stop, targets, opts), start: scoped(whole.start, targets, opts) };
      // The reported waves are the start order; the stop phase is its reverse.
      return registry.begin("restart", targets, plan.start, who(opts), async (ctx) => {
        const names = plan.start.flat();
        const external = names.filter((n) => deps.service(n).kind === "external");
        if (external.length > 0) {
          const message = `service "${external[0]}" is external: Vigil only probes it and cannot start or stop it`;
          for (const name of names) ctx.step(name, "skipped", message);
          return { result: "failed", message };
        }
        const node = soleNode(deps, names);
        if (node !== undefined && deps.actOn) {
          // All of it runs on one other node: that node restarts it as one action, so nothing
          // queued there comes between the stop and the start (it runs one action per service).
          const failure = await askNode(deps.actOn, deps, ctx, node, "restart", names, ctx.signal);
          if (failure !== undefined)
            return { result: ctx.signal.aborted ? "cancelled" : "failed", message: failure };
          for (const name of names)
            ctx.step(
              name,
              deps.service(name).checks.length > 0 ? "healthy" : "started",
              `restarted by node ${node}`,
            );
          return {
            result: "succeeded",
            message: `restarted ${plural(names.length, "service")} on node ${node}`,
          };
        }
        for (const [i, wave] of plan.stop.entries()) {
          const failures = await stopServices(deps, ctx, [wave], "stopped");
          if (failures.length === 0) continue;
          // What the failed ones need stays up: stopping it too would take more down for nothing,
          // since a failed restart starts nothing again (its node gone, its process stuck...).
          for (const name of plan.stop.slice(i + 1).flat())
            ctx.step(name, "skipped", "kept running: a service that needs it could not be stopped");
          return { result: "failed", message: failures.join("; ") };
        }
        if (ctx.signal.aborted) return { result: "cancelled", message: "cancelled" };
        const started = await executeStart(deps, ctx, plan.start, { explicit: targets, skipRunning: false });
        return started.result === "succeeded"
          ? { ...started, message: `restarted ${plural(names.length, "service")}` }
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
