import { type Config, type EngineEvent, hostLabel, type ServiceStatus } from "@vigil/orchestrator";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { checkKinds } from "./live/check-names.ts";
import { valueInfo } from "./live/check-values.ts";
import { ResourceGauges } from "./metrics-resources.ts";
import type { EnginePort, StorePort } from "./ports.ts";

/**
 * Prometheus metrics on a private Registry (never prom-client's global one, so tests and two
 * servers in one process do not collide). Engine events drive counters and histograms; gauges
 * that mirror current state are read at scrape time.
 */
export class VigilMetrics {
  readonly registry = new Registry();
  readonly #probe: Histogram<"service" | "check" | "kind" | "status">;
  readonly #up: Gauge<"service" | "status">;
  readonly #restarts: Counter<"service">;
  readonly #startup: Gauge<"service">;
  readonly #blockedTransitions: Counter<"service">;
  readonly #values: Gauge<"service" | "check" | "kind" | "name" | "unit">;
  readonly #resources: ResourceGauges;
  readonly #status = new Map<string, ServiceStatus>();
  readonly #kinds = new Map<string, string>();
  /** actionId/service → when its start step began, to time startups. */
  readonly #starting = new Map<string, number>();

  constructor(
    private readonly engine: EnginePort,
    private readonly store: StorePort,
    private readonly config: () => Config,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#probe = new Histogram({
      name: "vigil_probe_duration_seconds",
      help: "Wall time of one probe run",
      labelNames: ["service", "check", "kind", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#up = new Gauge({
      name: "vigil_service_up",
      help: "1 when the service is healthy or degraded, 0 otherwise; the status label says which",
      labelNames: ["service", "status"],
      registers,
    });
    this.#restarts = new Counter({
      name: "vigil_service_restarts_total",
      help: "Restarts done by restart policies",
      labelNames: ["service"],
      registers,
    });
    this.#startup = new Gauge({
      name: "vigil_service_startup_seconds",
      help: "How long the last start of the service took until it was healthy (or started)",
      labelNames: ["service"],
      registers,
    });
    this.#blockedTransitions = new Counter({
      name: "vigil_dependency_failures_total",
      help: "Times a service became blocked because a dependency was not healthy",
      labelNames: ["service"],
      registers,
    });
    this.#values = new Gauge({
      name: "vigil_check_value",
      help: "Latest value a check reported besides latency (days_remaining, queue_depth, rtt_ms...); unit in the label",
      labelNames: ["service", "check", "kind", "name", "unit"],
      registers,
    });
    this.#resources = new ResourceGauges(this.registry);
    const snapshot = () => this.engine.snapshot();
    new Gauge({
      name: "vigil_services_blocked",
      help: "Services currently blocked by a failing dependency",
      registers,
      collect() {
        this.set(snapshot().filter((s) => s.status === "blocked").length);
      },
    });
    new Gauge({
      name: "vigil_services_host_unreachable",
      help: "Services whose Docker host does not answer, per host (local: the default engine)",
      labelNames: ["host"],
      registers,
      collect() {
        this.reset();
        for (const s of snapshot())
          if (s.status === "host-unreachable") this.labels({ host: hostLabel(s.host) }).inc();
      },
    });
    const health = () => this.store.health();
    new Gauge({
      name: "vigil_store_queue_depth",
      help: "Probe results waiting to be written to Postgres",
      registers,
      collect() {
        this.set(health().queueDepth);
      },
    });
    new Gauge({
      name: "vigil_store_dropped_results",
      help: "Probe results dropped because the store buffer was full (since start)",
      registers,
      collect() {
        this.set(health().dropped);
      },
    });
    new Gauge({
      name: "vigil_store_up",
      help: "1 when the history store writes to Postgres, 0 while it buffers",
      registers,
      collect() {
        this.set(health().state === "ok" ? 1 : 0);
      },
    });
    this.syncStatuses();
  }

  /** Sets up/down for every service from the engine (at start and after a reload). */
  syncStatuses(): void {
    this.#up.reset();
    this.#status.clear();
    this.#kinds.clear();
    // Checks removed by a reload must not keep exporting their last value.
    this.#values.reset();
    for (const s of this.engine.snapshot()) this.#setStatus(s.name, s.status);
    this.#resources.retain(new Set(Object.keys(this.config().services)));
    for (const [service, checks] of checkKinds(this.config())) {
      for (const c of checks) this.#kinds.set(`${service}\u0000${c.check}`, c.kind);
    }
  }

  observe(event: EngineEvent): void {
    switch (event.type) {
      case "check.result": {
        const kind = this.#kinds.get(`${event.service}\u0000${event.check}`) ?? "unknown";
        // Probe runs are counted where they ran; a cluster peer's result only moves the values.
        // observe(labels, value), not labels(…).observe(…): the same sample without a child object
        // and a second validation of the labels, once per probe run.
        if (!event.remote)
          this.#probe.observe(
            { service: event.service, check: event.check, kind, status: event.result.status },
            event.result.latencyMs / 1000,
          );
        const values = event.result.values;
        if (values === undefined) return;
        for (const [name, value] of Object.entries(values)) {
          if (!Number.isFinite(value)) continue;
          const { unit } = valueInfo(kind, name);
          this.#values.set({ service: event.service, check: event.check, kind, name, unit }, value);
        }
        return;
      }
      case "service.status":
        this.#setStatus(event.service, event.to);
        if (event.to === "blocked") this.#blockedTransitions.labels({ service: event.service }).inc();
        return;
      case "service.resources":
        this.#resources.set(event.service, event);
        return;
      case "service.oom":
        this.#resources.oomKilled(event.service);
        return;
      case "service.restarted":
        this.#restarts.labels({ service: event.service }).inc();
        return;
      case "action.step": {
        const key = `${event.actionId}\u0000${event.service}`;
        if (event.state === "starting") this.#starting.set(key, event.at.getTime());
        if (event.state === "healthy" || event.state === "started") {
          const began = this.#starting.get(key);
          if (began !== undefined)
            this.#startup.labels({ service: event.service }).set((event.at.getTime() - began) / 1000);
        }
        if (event.state !== "starting") this.#starting.delete(key);
        return;
      }
      default:
        return;
    }
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  #setStatus(service: string, status: ServiceStatus): void {
    const previous = this.#status.get(service);
    if (previous !== undefined) this.#up.remove({ service, status: previous });
    this.#status.set(service, status);
    this.#up.labels({ service, status }).set(status === "healthy" || status === "degraded" ? 1 : 0);
  }
}
