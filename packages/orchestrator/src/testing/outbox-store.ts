import type { DeliveryAttempt, OutboxEntry, OutboxStore } from "../alerting/delivery/types.ts";

/**
 * An in-memory OutboxStore for orchestrator tests (a test double: the real store is Postgres in
 * packages/db, tested there). `down = true` makes every call fail like an unreachable database.
 */
export class MemoryOutboxStore implements OutboxStore {
  readonly entries = new Map<string, OutboxEntry>();
  readonly attempts = new Map<string, DeliveryAttempt>();
  down = false;
  calls = 0;

  async add(entries: readonly OutboxEntry[]): Promise<void> {
    this.#reachable();
    for (const entry of entries)
      if (!this.entries.has(entry.id)) this.entries.set(entry.id, structuredClone(entry));
  }

  async record(batch: readonly { entry: OutboxEntry; attempt: DeliveryAttempt }[]): Promise<void> {
    this.#reachable();
    for (const { entry, attempt } of batch) {
      this.entries.set(entry.id, structuredClone(entry));
      this.attempts.set(attempt.id, structuredClone(attempt));
    }
  }

  async pending(): Promise<OutboxEntry[]> {
    this.#reachable();
    return [...this.entries.values()].filter((e) => e.state === "pending").map((e) => structuredClone(e));
  }

  #reachable(): void {
    this.calls++;
    if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432 (store down)");
  }
}
