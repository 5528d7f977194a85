import type {
  EventView,
  HistoryPoint,
  Incident,
  Resolution,
  StoreHealth,
  ValueSeriesView,
} from "../../lib/contract.ts";
import type {
  ActionRecord,
  ActionUpdate,
  EventRecord,
  ResultRecord,
  StoredAction,
  StorePort,
} from "../ports.ts";

/**
 * An in-memory StorePort for unit tests of the web layer (hub, router, metrics), where the point
 * is the web code, not Postgres. Integration tests use the real @vigil/db store.
 */
export class MemoryStore implements StorePort {
  readonly results: ResultRecord[] = [];
  readonly eventLog: EventRecord[] = [];
  readonly resourceLog: { service: string; at: Date; values: Record<string, number> }[] = [];
  readonly #actions = new Map<string, StoredAction>();
  state: StoreHealth = { state: "ok", queueDepth: 0, dropped: 0, message: null };

  recordResult(result: ResultRecord): void {
    this.results.push(result);
  }
  recordResources(sample: { service: string; at: Date; values: Record<string, number> }): void {
    this.resourceLog.push(sample);
  }
  recordEvent(event: EventRecord): void {
    this.eventLog.push(event);
  }
  recordAction(a: ActionRecord): void {
    this.#actions.set(a.id, { ...a, finishedAt: null, result: "running", message: null, steps: [] });
  }
  updateAction(id: string, u: ActionUpdate): void {
    const a = this.#actions.get(id);
    if (a) Object.assign(a, u);
  }
  async flush(): Promise<void> {}
  health(): StoreHealth {
    return { ...this.state };
  }
  async history(q: {
    service: string;
    check: string | null;
    from: Date;
    to: Date;
    resolution: Resolution | "auto";
  }) {
    const rows = this.#range(q);
    const points: HistoryPoint[] = rows.map((r) => ({
      t: r.at.toISOString(),
      count: 1,
      failures: r.status === "unhealthy" ? 1 : 0,
      min: r.latencyMs,
      avg: r.latencyMs,
      max: r.latencyMs,
      p50: r.latencyMs,
      p95: r.latencyMs,
      p99: r.latencyMs,
      status: r.status,
      message: r.message,
    }));
    return { resolution: "raw" as const, points, uptime: await this.uptime(q), next: null };
  }
  async values(q: { service: string; check: string | null; from: Date; to: Date }) {
    const series = new Map<string, { check: string; name: string; points: ValueSeriesView["points"] }>();
    for (const r of this.#range(q)) {
      for (const [name, v] of Object.entries(r.values ?? {})) {
        const key = `${r.check}\u0000${name}`;
        const s = series.get(key) ?? { check: r.check, name, points: [] };
        s.points.push({ t: r.at.toISOString(), count: 1, min: v, avg: v, max: v });
        series.set(key, s);
      }
    }
    return [...series.values()];
  }
  async uptime(q: { service: string; check: string | null; from: Date; to: Date }): Promise<number | null> {
    const rows = this.#range(q);
    return rows.length === 0 ? null : rows.filter((r) => r.status !== "unhealthy").length / rows.length;
  }
  async sparklines(q: { services: string[]; points: number }): Promise<Map<string, (number | null)[]>> {
    return new Map(q.services.map((s) => [s, []]));
  }
  async uptimeCounts(q: {
    services: string[];
    from: Date;
    to: Date;
  }): Promise<Map<string, { total: number; failed: number }>> {
    const out = new Map<string, { total: number; failed: number }>();
    for (const service of q.services) {
      const rows = this.#range({ ...q, service, check: null });
      out.set(service, { total: rows.length, failed: rows.filter((r) => r.status === "unhealthy").length });
    }
    return out;
  }
  async events(): Promise<EventView[]> {
    return [];
  }
  async incidents(): Promise<Incident[]> {
    return [];
  }
  async actions(q: { limit: number }): Promise<StoredAction[]> {
    return [...this.#actions.values()].slice(-q.limit);
  }
  async action(id: string): Promise<StoredAction | null> {
    return this.#actions.get(id) ?? null;
  }
  async close(): Promise<void> {}

  #range(q: { service: string; check: string | null; from: Date; to: Date }): ResultRecord[] {
    return this.results.filter(
      (r) =>
        r.service === q.service &&
        (q.check === null || r.check === q.check) &&
        r.at >= q.from &&
        r.at <= q.to,
    );
  }
}
