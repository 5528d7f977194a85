import type { DockerCheckSpec } from "../config/schema.ts";
import { dockerClient, dockerErrorText } from "../docker/client.ts";
import { healthy, unhealthy } from "./result.ts";
import type { Probe } from "./types.ts";

export const dockerProbe: Probe<DockerCheckSpec> = async (spec, ctx) => {
  const service = ctx.service;
  const container =
    spec.container !== undefined
      ? (ctx.containerFor?.(spec.container) ?? spec.container)
      : service !== undefined
        ? (ctx.containerFor?.(service) ?? service)
        : undefined;
  if (container === undefined) return unhealthy("docker check has no container (set container:)");
  let info: Awaited<ReturnType<ReturnType<ReturnType<typeof dockerClient>["getContainer"]>["inspect"]>>;
  try {
    info = await dockerClient().getContainer(container).inspect({ abortSignal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return unhealthy(`container ${container}: ${dockerErrorText(error)}`);
  }
  const state = info.State;
  const health = state.Health;
  const details: Record<string, unknown> = {
    container,
    id: info.Id.slice(0, 12),
    state: state.Status,
    restarts: info.RestartCount,
    ...(health ? { health: health.Status } : {}),
  };
  if (!state.Running) {
    return unhealthy(`container ${container} is ${state.Status} (exit ${state.ExitCode})`, details);
  }
  if (!spec.use_healthcheck || !health || health.Status === "none") {
    return healthy(`container ${container} running`, details);
  }
  if (health.Status === "healthy") return healthy(`container ${container} running, health: healthy`, details);
  if (health.Status === "starting") return unhealthy("container health: starting", details);
  const last = health.Log?.at(-1);
  const output = last?.Output?.trim() ?? "";
  details.healthLog = last;
  return unhealthy(`container health: ${health.Status}${output ? `: ${output.slice(0, 300)}` : ""}`, details);
};
