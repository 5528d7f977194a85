import type { ActionResult } from "../events.ts";
import type { DependencyCondition } from "../graph/dependencies.ts";
import type { ActionContext } from "./actions.ts";
import { awaitCompletion } from "./completion.ts";
import { askNode, runsOn } from "./elsewhere.ts";
import { autoRollback } from "./rollback.ts";
import { awaitHealth, startAndVerify } from "./service-start.ts";
import { stopServices } from "./stop-run.ts";
import type { ActionOutcome, LifecycleDeps } from "./types.ts";

interface Gate {
  started: Promise<boolean>;
  healthy: Promise<boolean>;
  markStarted(): void;
  /** Settles both promises; the first settlement of each wins. */
  resolve(started: boolean, healthy: boolean): void;
}

function gate(): Gate {
  let resolveStarted: (v: boolean) => void = () => {};
  let resolveHealthy: (v: boolean) => void = () => {};
  const g: Gate = {
    started: new Promise((r) => {
      resolveStarted = r;
    }),
    healthy: new Promise((r) => {
      resolveHealthy = r;
    }),
    markStarted() {
      resolveStarted(true);
    },
    resolve(started, healthy) {
      resolveStarted(started);
      resolveHealthy(healthy);
    },
  };
  return g;
}

export interface StartRunResult {
  result: ActionResult;
  message: string;
  extra?: Pick<ActionOutcome, "rollback" | "failureReport">;
}

/**
 * Starts `waves` dependencies-first. Each service waits for its own `depends_on` conditions, so
 * the waves unfold in order while independent services proceed in parallel. A failed critical
 * service stops everything this run started, in reverse order.
 */
export async function executeStart(
  deps: LifecycleDeps,
  ctx: ActionContext,
  waves: string[][],
  opts: { explicit: string[]; skipRunning: boolean },
): Promise<StartRunResult> {
  const names = waves.flat();
  const gates = new Map(names.map((n) => [n, gate()]));
  const run = new AbortController();
  const onCancel = () => run.abort();
  ctx.signal.addEventListener("abort", onCancel, { once: true });
  const started: string[] = [];
  const failures: string[] = [];
  let critical: { name: string; message: string } | undefined;
  let extra: StartRunResult["extra"];
  const graph = deps.graph();

  async function dependencyHolds(dep: string, condition: DependencyCondition): Promise<boolean> {
    const own = gates.get(dep);
    if (condition === "completed") {
      if (own && !(await own.started)) return false;
      return awaitCompletion(deps, dep, deps.service(dep), run.signal);
    }
    if (own) return condition === "healthy" ? own.healthy : own.started;
    // Outside this plan (restart of a dependent): check the dependency as it is now.
    const service = deps.service(dep);
    const runner = deps.runnerFor(service);
    if (condition === "started")
      return (
        service.kind === "external" ||
        deps.elsewhere?.(dep) !== undefined ||
        (await runner.status(dep, service)).state === "running"
      );
    return (await awaitHealth(deps, dep, service, run.signal)).ok;
  }

  async function one(name: string): Promise<void> {
    const own = gates.get(name) as Gate;
    const dependencies = graph.dependencies(name);
    if (dependencies.length > 0)
      ctx.step(
        name,
        "waiting",
        `waiting for ${dependencies.map((d) => `${d.name} (${d.condition})`).join(", ")}`,
      );
    for (const dep of dependencies) {
      if (!(await dependencyHolds(dep.name, dep.condition))) {
        ctx.step(name, "skipped", run.signal.aborted ? "cancelled" : `dependency ${dep.name} failed`);
        return own.resolve(false, false);
      }
    }
    if (run.signal.aborted) {
      ctx.step(name, "skipped", "cancelled");
      return own.resolve(false, false);
    }
    const service = deps.service(name);
    if (service.kind === "job") {
      // Nothing long-running to start: the job host runs it on its schedule or on "Run now".
      ctx.step(name, "skipped", "job: runs on its schedule");
      return own.resolve(true, true);
    }
    const node = deps.elsewhere?.(name);
    if (node !== undefined && deps.actOn) {
      // Another instance's to run: that node starts it, then it is waited for here like the rest.
      const failure = await askNode(deps.actOn, deps, ctx, node, "start", [name], run.signal);
      if (failure !== undefined) {
        if (!run.signal.aborted) fail(name, failure, service.critical);
        return own.resolve(false, false);
      }
    }
    if ((service.kind === "external" && !opts.explicit.includes(name)) || node !== undefined) {
      // Pulled in as a dependency, or another instance's to run: not started here, only waited for.
      const health = await awaitHealth(deps, name, service, run.signal);
      const note = node === undefined ? "external" : runsOn(node);
      ctx.step(name, health.ok ? "healthy" : "failed", health.ok ? note : `${note}; ${health.message}`);
      if (!health.ok) fail(name, health.message, service.critical);
      return own.resolve(health.ok, health.ok);
    }
    const runner = deps.runnerFor(service);
    if (
      opts.skipRunning &&
      service.kind !== "external" &&
      (await runner.status(name, service)).state === "running"
    ) {
      const health = await awaitHealth(deps, name, service, run.signal);
      ctx.step(name, health.ok ? "skipped" : "failed", health.ok ? "already running" : health.message);
      if (!health.ok) fail(name, health.message, service.critical);
      return own.resolve(true, health.ok);
    }
    deps.cancelPolicy(name);
    const outcome = await startAndVerify(deps, ctx, name, service, run.signal, () => {
      started.push(name);
      own.markStarted();
    });
    if (outcome.ok) {
      ctx.step(name, service.checks.length > 0 ? "healthy" : "started");
      return own.resolve(true, true);
    }
    if (run.signal.aborted) return own.resolve(false, false);
    ctx.step(name, "failed", outcome.message);
    if (service.rollback === "auto") {
      const rolled = await autoRollback(
        deps,
        ctx,
        name,
        service,
        outcome.revision,
        outcome.message,
        run.signal,
      );
      if (rolled) extra = rolled;
      if (rolled?.rollback?.healthy) {
        // Back on the previous revision and healthy: dependents may go on, the action still fails.
        failures.push(`${name}: ${outcome.message}; rolled back automatically to ${rolled.rollback.to}`);
        return own.resolve(true, true);
      }
    }
    fail(name, outcome.message, service.critical);
    own.resolve(started.includes(name), false);
  }

  function fail(name: string, message: string, isCritical: boolean): void {
    failures.push(`${name}: ${message}`);
    if (isCritical && !critical) {
      critical = { name, message };
      run.abort();
    }
  }

  /** A runner error (Docker unreachable…) fails that service, never the whole run silently. */
  async function guarded(name: string): Promise<void> {
    try {
      await one(name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.step(name, "failed", message);
      fail(name, message, deps.service(name).critical);
      gates.get(name)?.resolve(started.includes(name), false);
    }
  }

  try {
    await Promise.all(names.map((n) => guarded(n)));
  } finally {
    ctx.signal.removeEventListener("abort", onCancel);
  }
  if (critical) {
    const order = waves.map((w) => w.filter((n) => started.includes(n))).reverse();
    await stopServices(deps, ctx, order, "rolled-back");
    const undone = order.flat();
    const message = `critical service "${critical.name}" failed: ${critical.message}; rolled back ${undone.length ? undone.join(", ") : "nothing"}`;
    return { result: "failed", message, extra };
  }
  if (ctx.signal.aborted) {
    // Cancelled: what was still coming up is stopped cleanly; what became healthy stays.
    const unfinished = waves
      .map((w) => w.filter((n) => started.includes(n) && ctx.states.get(n) === "starting"))
      .reverse();
    await stopServices(deps, ctx, unfinished, "stopped", "cancelled");
    return { result: "cancelled", message: "cancelled", extra };
  }
  if (failures.length > 0) return { result: "failed", message: failures.join("; "), extra };
  return {
    result: "succeeded",
    message: `started ${names.length} service${names.length === 1 ? "" : "s"}`,
    extra,
  };
}
