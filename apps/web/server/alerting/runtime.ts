import { randomUUID } from "node:crypto";
import {
  AlertDecider,
  type AlertInput,
  alertServices,
  type Config,
  type DeciderOptions,
  type Decision,
  Dispatcher,
  type EngineEvent,
  MaintenanceCalendar,
  maintenanceRanges,
  type ObservedStatus,
  type OpenIncident,
  type OutboxEntry,
  OutboxRecorder,
  type OutboxStore,
  ResourceRules,
} from "@vigil/orchestrator";
import {
  type ChannelConfig,
  NOTIFICATION_SCHEMA,
  type Notification,
  sendWith,
} from "@vigil/orchestrator/notify";
import { type IncidentWrites, incidentWrites } from "./incident-writes.ts";
import { AlertMetrics } from "./metrics.ts";
import { resourceDecision } from "./resource-alerts.ts";

export type { IncidentWrites };

export interface AlertingOptions {
  config: Config;
  outbox: OutboxStore;
  incidents: IncidentWrites;
  redact: (text: string) => string;
  log: (line: string) => void;
  metrics?: AlertMetrics;
  /** How often time-based rules (durations, reminders, escalation, windows) are evaluated. */
  tickMs?: number;
  /**
   * Cluster mode: whether this instance sends a decided notification (the leader, once per
   * notification key). Every instance decides, so the leader that takes over knows the open incidents.
   */
  authorize?: (key: string) => Promise<boolean>;
}

/**
 * Alerting inside the web server: engine events → decisions (pure) → outbox → channels, and
 * incidents recorded beside. Status events of one instant are fed as one batch, so the alert
 * about a root cause already lists every service it blocks.
 */
export class AlertingRuntime {
  readonly #opts: AlertingOptions;
  #config: Config;
  readonly #decider: AlertDecider;
  readonly recorder: OutboxRecorder;
  readonly dispatcher: Dispatcher;
  readonly metrics: AlertMetrics;
  readonly #statuses = new Map<string, ObservedStatus>();
  #batch: Extract<AlertInput, { type: "status" }>["services"] = [];
  #batchAt = 0;
  #flushScheduled = false;
  readonly #timer: NodeJS.Timeout;
  readonly #resourceRules: ResourceRules;

  constructor(opts: AlertingOptions) {
    this.#opts = opts;
    this.#config = opts.config;
    this.metrics = opts.metrics ?? new AlertMetrics();
    this.#decider = new AlertDecider(this.#deciderOptions(opts.config));
    this.#resourceRules = new ResourceRules(opts.config.alerting.resource_rules, groupsOf(opts.config));
    this.recorder = new OutboxRecorder(opts.outbox, {
      onError: (error) =>
        opts.log(`alerting: outbox write failed (kept in memory, retrying): ${String(error)}`),
    });
    this.dispatcher = new Dispatcher({
      recorder: this.recorder,
      send: (channel, notification, ctx) => {
        const config = this.#config.alerting.channels[channel] as ChannelConfig | undefined;
        if (!config) {
          return Promise.resolve({
            ok: false,
            error: `channel "${channel}" is not configured`,
            retryable: false,
          });
        }
        return sendWith(config, notification, ctx);
      },
      redact: opts.redact,
      giveUpAfterMs: opts.config.alerting.give_up_after,
      onAttempt: (entry, attempt) => this.metrics.attempt(entry, attempt),
    });
    this.metrics.depth = () => this.dispatcher.depth();
    this.#timer = setInterval(() => this.#feed({ type: "tick", at: Date.now() }), opts.tickMs ?? 1000);
    this.#timer.unref();
  }

  /** Sends what a previous Vigil wrote to the outbox but never delivered, and restores silences. */
  async resume(timeoutMs: number): Promise<number> {
    const now = Date.now();
    for (const s of await this.#opts.incidents.activeSilences(
      new Date(now),
      AbortSignal.timeout(timeoutMs),
    )) {
      const silence = { service: s.service, from: s.from.getTime(), until: s.until.getTime(), by: s.by };
      this.#feed({ type: "silence", at: now, silence });
    }
    const pending = await this.#opts.outbox.pending(AbortSignal.timeout(timeoutMs));
    this.dispatcher.resume(pending);
    return pending.length;
  }

  /** Alerting is on once vigil.yaml routes notifications somewhere; without routes there are no incidents. */
  get enabled(): boolean {
    return this.#config.alerting.routes.length > 0;
  }

  observe(event: EngineEvent): void {
    if (!this.enabled) return;
    if (event.type === "service.status") {
      const status = { status: event.to, reason: event.reason, blockedBy: event.blockedBy ?? [] };
      this.#statuses.set(event.service, status);
      this.#queue(event.service, status, event.at.getTime());
      this.#timeline(
        event.service,
        event.at,
        "status",
        `${event.service}: ${event.from} → ${event.to} (${event.reason})`,
      );
    } else if (event.type === "action.planned") {
      const { kind, targets, requestedBy, actionId } = event.plan;
      for (const target of targets) {
        this.#timeline(
          target,
          event.at,
          "action",
          `${kind} of ${target} requested by ${requestedBy} (${actionId})`,
        );
      }
    } else if (event.type === "service.resources" && this.#config.alerting.resource_rules.length > 0) {
      for (const alert of this.#resourceRules.sample(event.service, event.at.getTime(), event)) {
        if (this.#decider.inMaintenance(alert.service, alert.at)) continue;
        const status = this.#statuses.get(alert.service)?.status ?? "unknown";
        const service = alertServices(this.#config).get(alert.service);
        this.#deliver(resourceDecision(alert, service, status, this.#config));
      }
    } else if (event.type === "check.result" && event.counted) {
      const status = this.#statuses.get(event.service);
      if (status) this.#queue(event.service, status, event.at.getTime());
    }
  }

  get openIncidents(): readonly OpenIncident[] {
    return this.#decider.incidents.filter((i) => i.notifiedAt !== undefined);
  }

  /** Services in maintenance (or silenced) now, for the board. */
  maintenance(at = Date.now()): string[] {
    return Object.keys(this.#config.services).filter((name) => this.#decider.inMaintenance(name, at));
  }

  /**
   * Where `service` was in maintenance within [from, to): the configured windows (recurring ones
   * expanded) and its silences as recorded in Postgres, so silences from before a restart count.
   * The service page's range uptime leaves these out.
   */
  async maintenanceRanges(
    service: string,
    from: Date,
    to: Date,
    signal: AbortSignal,
  ): Promise<{ from: Date; to: Date }[]> {
    const spec = this.#config.services[service];
    if (!spec) return [];
    const silences = (await this.#opts.incidents.silencesBetween(service, from, to, signal)).map((s) => ({
      service: s.service,
      from: s.from.getTime(),
      until: s.until.getTime(),
    }));
    const ref = { name: service, group: spec.group };
    return maintenanceRanges(
      this.#config.alerting.maintenance,
      silences,
      ref,
      from.getTime(),
      to.getTime(),
    ).map((r) => ({ from: new Date(r.from), to: new Date(r.to) }));
  }

  acknowledge(key: string, by: string): OpenIncident | undefined {
    const incident = this.openIncidents.find((i) => i.key === key);
    if (!incident) return undefined;
    this.#feed({ type: "ack", at: Date.now(), incidentKey: key, by });
    return incident;
  }

  silence(service: string, ms: number, by: string): { until: Date } {
    const at = Date.now();
    this.#feed({ type: "silence", at, silence: { service, from: at, until: at + ms, by } });
    const row = { service, from: new Date(at), until: new Date(at + ms), by };
    this.recorder.write((signal) => this.#opts.incidents.silence(row, signal));
    return { until: new Date(at + ms) };
  }

  /** A test notification through one channel, through the outbox like any other. */
  sendTest(channel: string, by: string): OutboxEntry[] {
    const now = new Date();
    const notification: Notification = {
      schema: NOTIFICATION_SCHEMA,
      id: randomUUID(),
      incidentKey: `test@${now.toISOString()}`,
      event: "test",
      severity: "info",
      title: `Test notification from Vigil (sent by ${by})`,
      reason: "a test: nothing is wrong",
      rootCause: { service: "vigil", status: "healthy" },
      affected: [],
      at: now.toISOString(),
      links: { service: this.#config.alerting.public_url },
    };
    return this.dispatcher.submit(notification, [channel]);
  }

  /** A note on an incident's timeline (open or resolved). */
  note(key: string, by: string, text: string): string {
    const at = new Date();
    const event = { id: `${key}#note@${at.toISOString()}#${by}`, at, kind: "note", actor: by, text };
    this.recorder.write((signal) => this.#opts.incidents.event(key, event, signal));
    return event.id;
  }

  /** Queues a failed (or stuck) entry again, from now, keeping its id. */
  retry(entry: OutboxEntry): void {
    const now = Date.now();
    this.dispatcher.resume([{ ...entry, state: "pending", createdAt: now, nextAttemptAt: now }], {
      force: true,
    });
  }

  reload(config: Config): void {
    this.#config = config;
    this.#decider.reconfigure(this.#deciderOptions(config));
    this.#resourceRules.reconfigure(config.alerting.resource_rules, groupsOf(config));
  }

  async close(timeoutMs: number): Promise<void> {
    clearInterval(this.#timer);
    await this.dispatcher.stop();
    await this.recorder.flushed(AbortSignal.timeout(timeoutMs));
    await this.recorder.stop();
  }

  #deciderOptions(config: Config): DeciderOptions {
    return {
      services: alertServices(config),
      routes: config.alerting.routes,
      publicUrl: config.alerting.public_url,
      calendar: new MaintenanceCalendar(config.alerting.maintenance),
      newId: randomUUID,
    };
  }

  #queue(service: string, status: ObservedStatus, at: number): void {
    this.#batch.push({ service, ...status });
    this.#batchAt = Math.max(this.#batchAt, at);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // The engine emits one derivation's statuses synchronously: take them all as one instant.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const services = this.#batch.splice(0);
    if (services.length > 0) this.#feed({ type: "status", at: this.#batchAt, services });
  }

  #feed(input: AlertInput): void {
    if (input.type !== "status") this.#flush();
    let decisions: Decision[];
    try {
      decisions = this.#decider.handle(input);
    } catch (error) {
      this.#opts.log(`alerting: decision failed: ${String(error)}`);
      return;
    }
    for (const decision of decisions) this.#deliver(decision);
  }

  /** Status changes and actions of an open incident's services join its timeline. */
  #timeline(service: string, at: Date, kind: string, text: string): void {
    for (const incident of this.openIncidents) {
      if (incident.root !== service && !incident.affected.includes(service)) continue;
      const event = {
        id: `${incident.key}#${kind}@${at.toISOString()}#${service}`,
        at,
        kind,
        actor: null,
        text,
      };
      this.recorder.write((signal) => this.#opts.incidents.event(incident.key, event, signal));
    }
  }

  #deliver(decision: Decision): void {
    const authorize = this.#opts.authorize;
    if (!authorize) {
      this.#send(decision);
      return;
    }
    const n = decision.notification;
    // One key per incident event, the same on every instance (the notification id is random).
    void authorize(`alert:${n.incidentKey}:${n.event}:${n.at}`)
      .catch(() => false)
      .then((ok) => {
        if (ok) this.#send(decision);
      });
  }

  #send({ notification: n, channels }: Decision): void {
    this.dispatcher.submit(n, channels);
    this.metrics.decided(n);
    for (const write of incidentWrites(this.#opts.incidents, n, channels)) this.recorder.write(write);
  }
}

const groupsOf = (config: Config): Map<string, string> =>
  new Map(Object.entries(config.services).map(([name, s]) => [name, s.group]));
