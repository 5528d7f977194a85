import { type Config, ConfigSchema } from "../../packages/orchestrator/src/index.ts";

/**
 * A config of `count` external services with one HTTP check each against the loopback target,
 * built through the same schema vigil.yaml goes through (defaults included).
 */
export function fleetConfig(opts: {
  project: string;
  targetUrl: string;
  count: number;
  interval: string;
  timeout?: string;
  /** Extra services merged in (e.g. one that the scenario takes down). */
  extra?: Record<string, unknown>;
  maxConcurrentProbes?: number;
}): Config {
  const services: Record<string, unknown> = {};
  const width = String(opts.count).length;
  for (let i = 0; i < opts.count; i++) {
    const name = `svc-${String(i).padStart(width, "0")}`;
    services[name] = {
      kind: "external",
      group: `group-${i % 20}`,
      checks: [
        {
          kind: "http",
          name: "health",
          url: `${opts.targetUrl}/ok/${name}`,
          interval: opts.interval,
          timeout: opts.timeout ?? "2s",
        },
      ],
    };
  }
  const settings = opts.maxConcurrentProbes ? { max_concurrent_probes: opts.maxConcurrentProbes } : undefined;
  return ConfigSchema.parse({
    project: opts.project,
    ...(settings ? { settings } : {}),
    services: { ...services, ...opts.extra },
  });
}
