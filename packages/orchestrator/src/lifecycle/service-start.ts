import type { ServiceConfig } from "../config/schema.ts";
import type { RunnerStatus } from "../runners/types.ts";
import type { ActionContext } from "./actions.ts";
import { specOf } from "./revisions.ts";
import type { LifecycleDeps } from "./types.ts";

export type HealthResult = { ok: true } | { ok: false; message: string };

/** Runner facts as the monitor's runtime wants them. */
export function runtimeOf(status: RunnerStatus) {
  return {
    state: status.state,
    pid: status.pid,
    containerId: status.containerId,
    startedAt: status.startedAt,
    revision: status.revision,
    exitCode: status.exitCode,
    // A new run clears the last one's reason (undefined overwrites it in the monitor's merge).
    exitReason: status.exitReason,
    ...(status.limits ? { limits: status.limits } : {}),
  };
}

/**
 * Waits until `name` passes its checks within `timeoutMs`, or fails early when its process or
 * container exits first. A service without checks counts as healthy once started.
 */
export async function awaitHealth(
  deps: LifecycleDeps,
  name: string,
  service: ServiceConfig,
  signal: AbortSignal,
  onStage?: (stage: string) => void,
): Promise<HealthResult> {
  if (service.checks.length === 0) return { ok: true };
  const local = new AbortController();
  const stopLocal = () => local.abort();
  signal.addEventListener("abort", stopLocal, { once: true });
  try {
    const exited = deps.exits.next(name, local.signal).then((exit): HealthResult => {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      return { ok: false, message: `service "${name}" ${how} before becoming healthy` };
    });
    const healthy = deps.health.waitHealthy(name, {
      signal: local.signal,
      timeoutMs: service.startup_timeout,
      onStage,
    });
    return await Promise.race([healthy, exited]);
  } finally {
    signal.removeEventListener("abort", stopLocal);
    local.abort();
  }
}

/**
 * Starts one service (recording its revision) and waits for its health. Steps: starting (with
 * staged stages), then healthy, started (no checks) or failed.
 */
export async function startAndVerify(
  deps: LifecycleDeps,
  ctx: Pick<ActionContext, "step">,
  name: string,
  service: ServiceConfig,
  signal: AbortSignal,
  onStarted?: () => void,
): Promise<HealthResult & { revision: string }> {
  const runner = deps.runnerFor(service);
  const revision = runner.revision(name, service);
  ctx.step(name, "starting", `revision ${revision}`);
  deps.setRuntime(name, { state: "starting", revision });
  deps.revisions.record(name, revision, specOf(service));
  let status: RunnerStatus;
  try {
    status = await runner.start(name, service, { signal });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.revisions.finish(name, revision, "failed", message);
    deps.setRuntime(name, { state: "stopped" });
    return { ok: false, message, revision };
  }
  // Spawned is not started: the board keeps saying "starting" until the health gate decides,
  // instead of flickering through "unknown" while the first checks are still failing.
  deps.setRuntime(name, { ...runtimeOf(status), state: "starting" });
  onStarted?.();
  const health = await awaitHealth(deps, name, service, signal, (stage) =>
    ctx.step(name, "starting", undefined, stage),
  );
  if (!signal.aborted) deps.setRuntime(name, runtimeOf(await runner.status(name, service)));
  if (signal.aborted) return { ok: false, message: "cancelled", revision };
  deps.revisions.finish(
    name,
    revision,
    health.ok ? (service.checks.length ? "healthy" : "started") : "failed",
    health.ok ? undefined : health.message,
  );
  return { ...health, revision };
}
