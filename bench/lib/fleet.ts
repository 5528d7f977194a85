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
  /** Every n-th service (1-based) checks the target's port over TCP instead of HTTP; 0 = none. */
  tcpEvery?: number;
  /** Process services running this command instead of external ones (their checks the same). */
  processCommand?: string[];
  /** settings.resource_interval, e.g. "5s", or "0" for no resource sampling. */
  resourceInterval?: string;
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
  const target = new URL(opts.targetUrl);
  const timing = { interval: opts.interval, timeout: opts.timeout ?? "2s" };
  for (let i = 0; i < opts.count; i++) {
    const name = `svc-${String(i).padStart(width, "0")}`;
    const tcp = opts.tcpEvery !== undefined && opts.tcpEvery > 0 && (i + 1) % opts.tcpEvery === 0;
    const check = tcp
      ? { kind: "tcp", name: "port", host: target.hostname, port: Number(target.port), ...timing }
      : { kind: "http", name: "health", url: `${opts.targetUrl}/ok/${name}`, ...timing };
    const runs = opts.processCommand
      ? { kind: "process", command: opts.processCommand }
      : { kind: "external" };
    services[name] = { ...runs, group: `group-${i % 20}`, checks: [check] };
  }
  const settings =
    opts.maxConcurrentProbes || opts.resourceInterval !== undefined
      ? {
          ...(opts.maxConcurrentProbes ? { max_concurrent_probes: opts.maxConcurrentProbes } : {}),
          ...(opts.resourceInterval === undefined ? {} : { resource_interval: opts.resourceInterval }),
        }
      : undefined;
  return {
    version: 1,
    project: opts.project,
    ...(settings ? { settings } : {}),
    services: { ...services, ...opts.extra },
  };
}
