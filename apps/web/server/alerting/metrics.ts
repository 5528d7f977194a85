import type { DeliveryAttempt, OutboxEntry } from "@vigil/orchestrator";
import type { Notification } from "@vigil/orchestrator/notify";
import { Counter, Gauge, type Registry } from "prom-client";

/** /metrics for alerting: deliveries per channel and outcome, outbox depth and oldest age. */
export class AlertMetrics {
  depth: () => Map<string, { queued: number; oldestCreatedAt: number | undefined }> = () => new Map();
  #deliveries: Counter<"channel" | "result"> | undefined;
  #decided: Counter<"event"> | undefined;

  register(registry: Registry): void {
    const registers = [registry];
    this.#deliveries = new Counter({
      name: "vigil_notification_deliveries_total",
      help: "Delivery attempts per channel: result sent, retry (will be tried again) or failed (given up)",
      labelNames: ["channel", "result"],
      registers,
    });
    this.#decided = new Counter({
      name: "vigil_notifications_total",
      help: "Notifications decided, by event (trigger, resolve, reminder...)",
      labelNames: ["event"],
      registers,
    });
    const depth = () => this.depth();
    new Gauge({
      name: "vigil_outbox_depth",
      help: "Notifications waiting to be delivered, per channel",
      labelNames: ["channel"],
      registers,
      collect() {
        this.reset();
        for (const [channel, d] of depth()) this.set({ channel }, d.queued);
      },
    });
    new Gauge({
      name: "vigil_outbox_oldest_undelivered_seconds",
      help: "Age of the oldest notification not yet delivered (0 when none)",
      registers,
      collect() {
        const oldest = Math.min(
          ...[...depth().values()].map((d) => d.oldestCreatedAt ?? Number.POSITIVE_INFINITY),
        );
        this.set(Number.isFinite(oldest) ? (Date.now() - oldest) / 1000 : 0);
      },
    });
  }

  attempt(entry: Readonly<OutboxEntry>, attempt: DeliveryAttempt): void {
    const result = attempt.ok ? "sent" : entry.state === "failed" ? "failed" : "retry";
    this.#deliveries?.inc({ channel: entry.channel, result });
  }

  decided(n: Notification): void {
    this.#decided?.inc({ event: n.event });
  }
}
