import type { EventView, HistoryPoint, Incident, Resolution, StoreHealth } from "../../lib/contract.ts";
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
  readonly #actions = new Map<string, StoredAction>();
  state: StoreHealth = { state: "ok", queueDepth: 0, dropped: 0, message: null };

  recordResult(result: ResultRecord): void {
    this.results.push(result);
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
    return { resolution: "raw" as const, points, uptime: await this.uptime(q) };
  }
  async uptime(q: { service: string; check: string | null; from: Date; to: Date }): Promise<number | null> {
    const rows = this.#range(q);
    return rows.length === 0 ? null : rows.filter((r) => r.status !== "unhealthy").length / rows.length;
  }
  async sparklines(q: { services: string[]; points: number }): Promise<Map<string, (number | null)[]>> {
    return new Map(q.services.map((s) => [s, []]));
  }
  async uptimes(q: { services: string[]; from: Date; to: Date }): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    for (const service of q.services) out.set(service, await this.uptime({ ...q, service, check: null }));
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
