import type { ResourceUsage } from "@vigil/orchestrator";
import { Counter, Gauge, type Registry } from "prom-client";
import { RESOURCE_FIELDS } from "./live/resources.ts";

/**
 * One gauge per resource field, labelled by service: vigil_service_cpu_percent,
 * vigil_service_memory_bytes, vigil_service_fds... set from the runner's latest sample.
 */
export class ResourceGauges {
  readonly #gauges: [keyof ResourceUsage, Gauge<"service">][];
  readonly #seen = new Set<string>();
  readonly #oom: Counter<"service">;

  constructor(registry: Registry) {
    this.#oom = new Counter({
      name: "vigil_service_oom_kills_total",
      help: "Times the service ended out of memory under its limit (kernel OOM kill, rlimit, or Vigil's tree limit)",
      labelNames: ["service"],
      registers: [registry],
    });
    this.#gauges = RESOURCE_FIELDS.map(([field, name, unit]) => [
      field,
      new Gauge({
        name: `vigil_service_${name}`,
        help: `Latest ${name.replaceAll("_", " ")} of the service${unit === "%" ? " (% of one core)" : ""}, from its runner`,
        labelNames: ["service"],
        registers: [registry],
      }),
    ]);
  }

  set(service: string, usage: ResourceUsage): void {
    this.#seen.add(service);
    for (const [field, gauge] of this.#gauges) {
      const v = usage[field];
      if (typeof v === "number" && Number.isFinite(v)) gauge.labels({ service }).set(v);
    }
  }

  oomKilled(service: string): void {
    this.#oom.labels({ service }).inc();
  }

  /** Drops the series of services no longer configured (after a reload). */
  retain(services: ReadonlySet<string>): void {
    for (const service of this.#seen) {
      if (services.has(service)) continue;
      this.#seen.delete(service);
      for (const [, gauge] of this.#gauges) gauge.remove({ service });
    }
  }
}
