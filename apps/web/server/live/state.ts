import type { Config, ServiceSnapshot } from "@vigil/orchestrator";
import type { ServicesResponse, ServiceView } from "../../lib/contract.ts";
import { errorMessage, withTimeout } from "../async.ts";
import type { EnginePort, StorePort } from "../ports.ts";
import { ActionTracker } from "./actions.ts";
import { checkKinds } from "./check-names.ts";
import { LogRings } from "./logs.ts";
import { LatencyRings } from "./ring.ts";
import { UptimeTally } from "./uptime.ts";
import { toServiceView } from "./views.ts";

const DAY = 86_400_000;

/**
 * What the board shows right now, assembled from the engine's in-memory snapshot, the latency
 * rings and a periodically refreshed uptime cache — cheap enough to build on every connect.
 */
export class LiveState {
  readonly rings = new LatencyRings(30);
  readonly actions = new ActionTracker();
  readonly logs = new LogRings(500);
  /** 24 h uptime per service: the store's complete minutes plus the results seen since. */
  readonly uptime = new UptimeTally();
  #uptimeTimer: NodeJS.Timeout | undefined;
  #config: Config;
  readonly #primary = new Map<string, string>();

  constructor(
    readonly engine: EnginePort,
    readonly store: StorePort,
    config: Config,
    readonly log: (line: string) => void,
  ) {
    this.#config = config;
  }

  get config(): Config {
    return this.#config;
  }

  setConfig(config: Config): void {
    this.#config = config;
    this.#primary.clear();
    this.rings.retain(Object.keys(config.services));
    this.logs.retain(Object.keys(config.services));
    this.uptime.retain(Object.keys(config.services));
  }

  /**
   * The sparkline follows one series per service: its first check, the one whose latency the
   * engine reports as the service's latency.
   */
  isPrimary(service: string, check: string): boolean {
    if (this.#primary.size === 0) {
      for (const [name, checks] of checkKinds(this.#config)) this.#primary.set(name, checks[0]?.check ?? "");
    }
    return (this.#primary.get(service) ?? check) === check;
  }

  /** Loads sparklines and uptimes from the store once, then refreshes uptimes every minute. */
  async warm(timeoutMs: number): Promise<void> {
    const services = Object.keys(this.#config.services);
    try {
      const sparks = await withTimeout(this.store.sparklines({ services, points: 30 }), timeoutMs);
      for (const [name, points] of sparks) this.rings.seed(name, points);
    } catch (err) {
      this.log(`sparklines not loaded from the store: ${errorMessage(err)}`);
    }
    await this.refreshUptimes(timeoutMs);
    this.#uptimeTimer = setInterval(() => void this.refreshUptimes(timeoutMs), 60_000);
    this.#uptimeTimer.unref();
  }

  /** Re-reads the store's counts for the complete minutes of the last day (see uptime.ts). */
  async refreshUptimes(timeoutMs: number): Promise<void> {
    const to = UptimeTally.boundary(new Date());
    try {
      const services = Object.keys(this.#config.services);
      const counts = await withTimeout(
        this.store.uptimeCounts({ services, from: new Date(to.getTime() - DAY), to }),
        timeoutMs,
      );
      this.uptime.rebase(counts, to);
    } catch (err) {
      this.log(`uptime not refreshed: ${errorMessage(err)}`);
    }
  }

  /** Views of the given (or all) services; direct dependents come from inverting dependsOn. */
  views(only?: string): ServiceView[] {
    const snapshots = this.engine.snapshot();
    const dependents = new Map<string, string[]>();
    for (const s of snapshots) {
      for (const dep of s.dependsOn) {
        const list = dependents.get(dep) ?? [];
        list.push(s.name);
        dependents.set(dep, list);
      }
    }
    const picked = only === undefined ? snapshots : snapshots.filter((s) => s.name === only);
    return picked.map((s) => this.#view(s, dependents.get(s.name) ?? []));
  }

  #view(s: ServiceSnapshot, dependents: string[]): ServiceView {
    return toServiceView(s, {
      dependents,
      sparkline: this.rings.get(s.name),
      uptime24h: this.uptime.get(s.name),
    });
  }

  services(): ServicesResponse {
    return {
      generatedAt: new Date().toISOString(),
      project: this.#config.project,
      services: this.views(),
      store: this.store.health(),
    };
  }

  close(): void {
    if (this.#uptimeTimer) clearInterval(this.#uptimeTimer);
  }
}
