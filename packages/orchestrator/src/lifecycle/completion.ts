import type { ServiceConfig } from "../config/schema.ts";
import type { LifecycleDeps } from "./types.ts";

const POLL_MS = 250;

/**
 * Waits until a started one-shot service (a migration, a seed job) has run to completion: true
 * when it exited with code 0 (compose's `service_completed_successfully`). Bounded by the job's
 * own `startup_timeout`, and by `signal`.
 */
export async function awaitCompletion(
  deps: LifecycleDeps,
  name: string,
  service: ServiceConfig,
  signal: AbortSignal,
): Promise<boolean> {
  if (service.kind === "external") return false; // Vigil cannot see an external service finish
  const runner = deps.runnerFor(service);
  const deadline = Date.now() + service.startup_timeout;
  while (!signal.aborted && Date.now() < deadline) {
    const status = await runner.status(name, service);
    if (status.state !== "running" && status.state !== "starting") return status.exitCode === 0;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
