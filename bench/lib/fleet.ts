import { type Config, ConfigSchema } from "../../packages/orchestrator/src/index.ts";

export interface FleetOptions {
  project: string;
  targetUrl: string;
  count: number;
  interval: string;
  timeout?: string;
  /** Extra services merged in (e.g. one that the scenario takes down). */
  extra?: Record<string, unknown>;
  maxConcurrentProbes?: number;
}

/**
 * A config of `count` external services with one HTTP check each against the loopback target,
 * built through the same schema vigil.yaml goes through (defaults included).
 */
export function fleetConfig(opts: FleetOptions): Config {
  return ConfigSchema.parse(fleetSpec(opts));
}

/** The same as vigil.yaml text (JSON is YAML), for a Vigil started from a file. */
export function fleetYaml(opts: FleetOptions): string {
  return `${JSON.stringify(fleetSpec(opts), null, 1)}\n`;
}

function fleetSpec(opts: FleetOptions): Record<string, unknown> {
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
  return {
    version: 1,
    project: opts.project,
    ...(settings ? { settings } : {}),
    services: { ...services, ...opts.extra },
  };
}
