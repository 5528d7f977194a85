import { z } from "zod";
import { dockerClient, dockerErrorText, engineUnreachable } from "../docker/client.ts";
import { checkPolicy } from "./support/policy.ts";
import { healthy, unhealthy } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import type { CheckKindDef, Probe, ProbeContext, ProbeResult } from "./types.ts";

const VALUES = {
  restarts: {
    unit: "",
    description: "How many times the engine restarted the container (its RestartCount).",
  },
} as const;

export const DockerCheck = z
  .strictObject({
    kind: z.literal("docker"),
    ...checkPolicy,
    /** Container name or id; defaults to the owning service's container. */
    container: z
      .string()
      .optional()
      .describe("Container name or id; defaults to the owning service's container."),
    /** Require the container's own HEALTHCHECK to report healthy (when it has one). */
    use_healthcheck: z
      .boolean()
      .default(true)
      .describe("Require the container's own HEALTHCHECK to report healthy (when it has one)."),
    expect: z
      .strictObject(valueConditionFields(VALUES))
      .optional()
      .describe('Conditions on the container, e.g. { restarts: "< 3" }; failing one is degraded.'),
  })
  .describe("A container is running (and healthy by its own HEALTHCHECK).");

export type DockerCheckSpec = z.output<typeof DockerCheck>;

export const dockerProbe: Probe<DockerCheckSpec> = async (spec, ctx) => {
  const result = await inspectContainer(spec, ctx);
  const restarts = result.details?.restarts;
  if (typeof restarts !== "number") return result;
  return judgeValues({ ...result, values: { restarts } }, spec.expect, "degraded");
};

async function inspectContainer(spec: DockerCheckSpec, ctx: ProbeContext): Promise<ProbeResult> {
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
    const engine = ctx.dockerFor?.(spec.container ?? service ?? "") ?? dockerClient();
    info = await engine.getContainer(container).inspect({ abortSignal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // Said as the host's fault: the container may well be running on an engine we cannot reach.
    if (engineUnreachable(error)) {
      const text = dockerErrorText(error);
      return unhealthy(`Docker host unreachable (${text}): container ${container} not observed`, {
        container,
        hostUnreachable: true,
        engineError: text,
      });
    }
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
}

export const docker: CheckKindDef<DockerCheckSpec> = {
  schema: DockerCheck,
  probe: dockerProbe,
  values: VALUES,
};
