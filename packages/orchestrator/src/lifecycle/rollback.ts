import type { ServiceConfig } from "../config/schema.ts";
import type { ActionContext } from "./actions.ts";
import { askNode, runsOn } from "./elsewhere.ts";
import { applySpec } from "./revisions.ts";
import { runtimeOf, startAndVerify } from "./service-start.ts";
import type { ActionOutcome, LifecycleDeps } from "./types.ts";

type RollbackExtra = Pick<ActionOutcome, "rollback" | "failureReport">;

/** Stops what runs now and starts the recorded `to` revision; true when it came up healthy. */
async function returnTo(
  deps: LifecycleDeps,
  ctx: Pick<ActionContext, "step">,
  name: string,
  current: ServiceConfig,
  target: ServiceConfig,
  signal: AbortSignal,
): Promise<{ ok: boolean; message: string }> {
  const runner = deps.runnerFor(current);
  deps.cancelPolicy(name);
  ctx.step(name, "stopping", "rolling back");
  deps.setRuntime(name, runtimeOf(await runner.stop(name, current)));
  // Pin before starting so the restart policy and later restarts keep the older revision.
  deps.setOverride(name, target);
  const outcome = await startAndVerify(deps, ctx, name, target, signal);
  return { ok: outcome.ok, message: outcome.ok ? "healthy" : outcome.message };
}

/**
 * `rollback: auto`: a NEW revision (one that differs from the last good one) failed its health
 * checks, so return to the previous good revision. Undefined when there is nothing to return to.
 */
export async function autoRollback(
  deps: LifecycleDeps,
  ctx: Pick<ActionContext, "step">,
  name: string,
  service: ServiceConfig,
  failedRevision: string,
  message: string,
  signal: AbortSignal,
): Promise<RollbackExtra | undefined> {
  const previous = deps.revisions.previous(name, failedRevision);
  if (!previous || signal.aborted) return undefined;
  const target = applySpec(service, previous.spec);
  const back = await returnTo(deps, ctx, name, service, target, signal);
  ctx.step(
    name,
    back.ok ? "rolled-back" : "failed",
    back.ok
      ? `new revision ${failedRevision} failed (${message}); rolled back automatically to ${previous.revision}`
      : `automatic rollback to ${previous.revision} failed: ${back.message}`,
  );
  return {
    rollback: {
      service: name,
      from: failedRevision,
      to: previous.revision,
      automatic: true,
      healthy: back.ok,
    },
    failureReport: { service: name, revision: failedRevision, message, at: new Date() },
  };
}

/** The `rollback X` action: back to X's previous good revision, health verified. */
export async function executeRollback(
  deps: LifecycleDeps,
  ctx: ActionContext,
  name: string,
): Promise<{ result: "succeeded" | "failed" | "cancelled"; message: string; extra?: RollbackExtra }> {
  const service = deps.service(name);
  const runner = deps.runnerFor(service);
  const node = deps.elsewhere?.(name);
  if (node !== undefined && deps.actOn) {
    // Its node holds the revisions it ran and runs the rollback; here it is only reported.
    const failure = await askNode(deps.actOn, deps, ctx, node, "rollback", [name], ctx.signal);
    if (failure !== undefined)
      return { result: ctx.signal.aborted ? "cancelled" : "failed", message: failure };
    ctx.step(name, "rolled-back", `rolled back by node ${node}`);
    return { result: "succeeded", message: `rolled back "${name}" on node ${node}` };
  }
  if (node !== undefined) {
    ctx.step(name, "failed", runsOn(node));
    return { result: "failed", message: `"${name}" ${runsOn(node)}` };
  }
  if (service.kind === "external") {
    ctx.step(
      name,
      "failed",
      `service "${name}" is external: Vigil only probes it and cannot start or stop it`,
    );
    return {
      result: "failed",
      message: `service "${name}" is external: Vigil only probes it and cannot roll it back`,
    };
  }
  const running = await runner.status(name, service);
  const current = running.revision ?? runner.revision(name, service);
  const previous = deps.revisions.previous(name, current);
  if (!previous) {
    const message = `no earlier good revision of "${name}" is recorded (current ${current})`;
    ctx.step(name, "failed", message);
    return { result: "failed", message };
  }
  const failure = deps.revisions.failure(name, current);
  const back = await returnTo(deps, ctx, name, service, applySpec(service, previous.spec), ctx.signal);
  if (ctx.signal.aborted) return { result: "cancelled", message: "cancelled" };
  // Keep the newer revision's failure report next to it in the history.
  deps.revisions.finish(name, current, "rolled-back", failure?.message);
  ctx.step(name, back.ok ? "rolled-back" : "failed", back.ok ? `now at ${previous.revision}` : back.message);
  const extra: RollbackExtra = {
    rollback: { service: name, from: current, to: previous.revision, automatic: false, healthy: back.ok },
    ...(failure?.message
      ? {
          failureReport: {
            service: name,
            revision: current,
            message: failure.message,
            at: new Date(failure.at),
          },
        }
      : {}),
  };
  return back.ok
    ? { result: "succeeded", message: `rolled back "${name}" from ${current} to ${previous.revision}`, extra }
    : {
        result: "failed",
        message: `rollback of "${name}" to ${previous.revision} failed: ${back.message}`,
        extra,
      };
}
