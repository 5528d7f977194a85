import type { EngineEvent } from "../events.ts";
import { ProcessTreeSampler, type SamplerTarget } from "../resources/sampler.ts";
import type { LimitMechanism } from "./limits/index.ts";

/** Default time between two resource samples of process services. */
export const RESOURCE_INTERVAL_MS = 5_000;

/**
 * Samples the process trees of the running process services on an interval and reports each as
 * a `service.resources` event, the same event the Docker runner emits from container stats.
 */
export function startProcessResources(opts: {
  intervalMs: number;
  targets: () => (SamplerTarget & { memoryLimitBytes?: number | undefined; enforcement?: LimitMechanism })[];
  onEvent: (event: EngineEvent) => void;
  /** Called when a tree's resident total passes its memory limit. */
  onOverLimit: (service: string, memoryBytes: number) => void;
}): { stop(): void } {
  if (opts.intervalMs <= 0) return { stop() {} };
  const sampler = new ProcessTreeSampler();
  const timer = setInterval(() => {
    const targets = opts.targets();
    const limits = new Map(targets.map((t) => [t.service, t.memoryLimitBytes]));
    const enforcement = new Map(targets.map((t) => [t.service, t.enforcement]));
    for (const s of sampler.sample(targets)) {
      const { service, at, ...usage } = s;
      const limit = limits.get(service);
      opts.onEvent({
        type: "service.resources",
        service,
        at,
        ...usage,
        ...(limit === undefined
          ? {}
          : { memoryLimitBytes: limit, limitEnforcement: sampleEnforcement(enforcement.get(service)) }),
      });
      if (limit !== undefined && usage.memoryBytes > limit) opts.onOverLimit(service, usage.memoryBytes);
    }
  }, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The sample's name for a mechanism: the rlimit works with this sampler's tree kill. */
function sampleEnforcement(
  mechanism: LimitMechanism | undefined,
): "cgroup v1" | "cgroup v2" | "rlimit+sampler" {
  return mechanism === "cgroup v1" || mechanism === "cgroup v2" ? mechanism : "rlimit+sampler";
}
