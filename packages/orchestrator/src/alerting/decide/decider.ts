import type { Notification, NotificationEvent } from "../../notify/types.ts";
import type { RouteSpecConfig } from "../config.ts";
import type { MaintenanceCalendar, Silence } from "../maintenance.ts";
import { hostObservations } from "./hosts.ts";
import { buildNotification, triggerTitle } from "./notification.ts";
import { type AlertService, namedRouteChannels, routeChannels } from "./policy.ts";
import { affectedBy, type ObservedStatus, rootCauses, rootsOf } from "./roots.ts";

/** What happens that the decisions react to. `at` is ms since epoch; callers pass a clock's time. */
export type AlertInput =
  /** New derived statuses (one probe result or status change each), all taken at the same instant. */
  | { type: "status"; at: number; services: ({ service: string } & ObservedStatus)[] }
  | { type: "ack"; at: number; incidentKey: string; by: string }
  | { type: "silence"; at: number; silence: Silence }
  /** Time passes: duration thresholds, reminders, escalations, flapping ending. */
  | { type: "tick"; at: number };

/** One notification and the channels it goes to. */
export interface Decision {
  notification: Notification;
  channels: string[];
}

/** An open incident as the decisions see it. */
export interface OpenIncident {
  key: string;
  root: string;
  /** When the root became unhealthy. */
  since: number;
  /** When the trigger (or flapping) notification went out; undefined while under the threshold. */
  notifiedAt: number | undefined;
  lastSentAt: number;
  affected: string[];
  channels: string[];
  acknowledged?: { by: string; at: number };
  reminders: number;
  escalated: boolean;
}

export interface DeciderOptions {
  services: ReadonlyMap<string, AlertService>;
  routes: readonly RouteSpecConfig[];
  publicUrl: string;
  calendar: MaintenanceCalendar;
  /** Unique notification ids (randomUUID in production, a counter in tests). */
  newId: () => string;
}

interface Streak {
  /** Consecutive unhealthy results as a root cause. */
  count: number;
  since: number;
}

/**
 * The alert decisions: a pure state machine from status observations, acknowledgements and time
 * to notifications. It never sends, stores or reads a clock; the caller feeds it and delivers.
 */
export class AlertDecider {
  #opts: DeciderOptions;
  #calendar: MaintenanceCalendar;
  readonly #statuses = new Map<string, ObservedStatus>();
  readonly #streaks = new Map<string, Streak>();
  readonly #incidents = new Map<string, OpenIncident>();
  /** Instants a service went from root-cause-failing to not, or back. */
  readonly #flips = new Map<string, number[]>();
  readonly #flapping = new Set<string>();
  #roots = new Set<string>();

  constructor(opts: DeciderOptions) {
    this.#opts = opts;
    this.#calendar = opts.calendar;
  }

  /**
   * A reloaded config: new services, routes and windows; open incidents, streaks and flips are
   * kept, so a reload neither re-sends nor forgets an alert.
   */
  reconfigure(opts: DeciderOptions): void {
    this.#opts = opts;
    this.#calendar = opts.calendar;
  }

  get incidents(): readonly OpenIncident[] {
    return [...this.#incidents.values()];
  }

  /** Whether `service` is in a maintenance window (or silenced) at `at`. */
  inMaintenance(service: string, at: number): boolean {
    const info = this.#opts.services.get(service);
    return info !== undefined && this.#calendar.activeFor(info, at) !== undefined;
  }

  handle(input: AlertInput): Decision[] {
    const out: Decision[] = [];
    if (input.type === "status") this.#observe(input.at, input.services);
    else if (input.type === "silence") this.#calendar = this.#calendar.withSilence(input.silence);
    else if (input.type === "ack") this.#acknowledge(input.at, input.incidentKey, input.by, out);
    this.#evaluate(input.at, out);
    return out;
  }

  #observe(at: number, reported: ({ service: string } & ObservedStatus)[]): void {
    for (const { service, ...status } of reported) this.#statuses.set(service, status);
    // The Docker hosts of these services report with them (their status is derived from theirs).
    const hosts = hostObservations(reported, this.#statuses, this.#opts.services);
    for (const { service, ...status } of hosts) this.#statuses.set(service, status);
    const observed = [...reported, ...hosts];
    const graph = (name: string) => this.#opts.services.get(name)?.dependsOn ?? [];
    const roots = rootCauses(rootsOf(this.#statuses, graph));
    for (const name of new Set([...roots, ...this.#roots])) {
      if (roots.has(name) !== this.#roots.has(name))
        this.#flips.set(name, [...(this.#flips.get(name) ?? []), at]);
    }
    // A result counts toward `after` only for a service that reported in this batch.
    for (const { service } of observed) {
      if (!roots.has(service)) this.#streaks.delete(service);
      else {
        const streak = this.#streaks.get(service);
        this.#streaks.set(service, streak ? { ...streak, count: streak.count + 1 } : { count: 1, since: at });
      }
    }
    for (const name of this.#roots) if (!roots.has(name)) this.#streaks.delete(name);
    // Newly a root without a result of its own (its failing dependency recovered): its run starts now.
    for (const name of roots) if (!this.#streaks.has(name)) this.#streaks.set(name, { count: 1, since: at });
    this.#roots = roots;
  }

  #acknowledge(at: number, key: string, by: string, out: Decision[]): void {
    const incident = [...this.#incidents.values()].find((i) => i.key === key);
    if (!incident || incident.acknowledged) return;
    incident.acknowledged = { by, at };
    if (incident.notifiedAt !== undefined) {
      this.#emit(
        out,
        incident,
        "acknowledge",
        at,
        `${incident.root}: acknowledged by ${by}`,
        incident.channels,
        by,
      );
    }
  }

  #evaluate(at: number, out: Decision[]): void {
    const graph = (name: string) => this.#opts.services.get(name)?.dependsOn ?? [];
    const roots = rootsOf(this.#statuses, graph);
    for (const [name, incident] of this.#incidents) {
      if (this.#roots.has(name)) incident.affected = affectedBy(roots, name);
    }
    for (const name of this.#roots) this.#openOrUpdate(name, at, out);
    for (const [name, incident] of [...this.#incidents]) {
      const info = this.#opts.services.get(name);
      if (!info) continue;
      this.#settleFlapping(name, at);
      if (!this.#roots.has(name)) {
        if (this.#flapping.has(name)) continue;
        this.#incidents.delete(name);
        if (incident.notifiedAt !== undefined && info.policy.sendOnResolve) {
          this.#emit(out, incident, "resolve", at, this.#resolveTitle(name, roots), incident.channels);
        }
        continue;
      }
      this.#followUp(info, incident, at, out);
    }
  }

  #openOrUpdate(name: string, at: number, out: Decision[]): void {
    const info = this.#opts.services.get(name);
    const streak = this.#streaks.get(name);
    if (!info || !streak || !info.policy.enabled) return;
    let incident = this.#incidents.get(name);
    if (!incident) {
      const channels = routeChannels(this.#opts.routes, info, info.policy.severity);
      incident = {
        key: `${name}@${new Date(streak.since).toISOString()}`,
        root: name,
        since: streak.since,
        notifiedAt: undefined,
        lastSentAt: streak.since,
        affected: affectedBy(
          rootsOf(this.#statuses, (n) => this.#opts.services.get(n)?.dependsOn ?? []),
          name,
        ),
        channels,
        reminders: 0,
        escalated: false,
      };
      this.#incidents.set(name, incident);
    }
    if (incident.notifiedAt !== undefined || this.inMaintenance(name, at)) return;
    if (this.#startsFlapping(info, at)) {
      this.#flapping.add(name);
      const { flips = 0, within = 0 } = info.policy.flapping ?? {};
      incident.notifiedAt = at;
      this.#emit(
        out,
        incident,
        "flapping",
        at,
        `${name} is flapping (${flips} changes within ${within / 1000}s)`,
        incident.channels,
      );
      return;
    }
    if (this.#flapping.has(name)) return;
    const { after, forMs } = info.policy;
    const due =
      (after !== undefined && streak.count >= after) || (forMs !== undefined && at - streak.since >= forMs);
    if (!due) return;
    incident.notifiedAt = at;
    this.#emit(out, incident, "trigger", at, triggerTitle(name, incident.affected), incident.channels);
  }

  /** Reminders and escalation for a notified, unacknowledged incident outside maintenance. */
  #followUp(info: AlertService, incident: OpenIncident, at: number, out: Decision[]): void {
    if (incident.notifiedAt === undefined || incident.acknowledged || this.#flapping.has(info.name)) return;
    if (this.inMaintenance(info.name, at)) return;
    const { remind, escalate } = info.policy;
    if (escalate && !incident.escalated && at - incident.notifiedAt >= escalate.after) {
      incident.escalated = true;
      const channels = namedRouteChannels(this.#opts.routes, escalate.to);
      const title = `${info.name} is unhealthy and not acknowledged after ${escalate.after / 1000}s`;
      this.#emit(out, incident, "escalation", at, title, channels);
      // Whoever was escalated to also hears the acknowledgement and the resolve (PagerDuty must close it).
      incident.channels = [...new Set([...incident.channels, ...channels])];
    }
    if (remind && incident.reminders < remind.times && at - incident.lastSentAt >= remind.every) {
      incident.reminders += 1;
      const title = `${triggerTitle(info.name, incident.affected)}, reminder ${incident.reminders} of ${remind.times}`;
      this.#emit(out, incident, "reminder", at, title, incident.channels);
    }
  }

  #startsFlapping(info: AlertService, at: number): boolean {
    const rule = info.policy.flapping;
    if (!rule || this.#flapping.has(info.name)) return false;
    const recent = (this.#flips.get(info.name) ?? []).filter((t) => at - t <= rule.within);
    this.#flips.set(info.name, recent);
    return recent.length >= rule.flips;
  }

  /** Flapping ends once no flip happened for the rule's window; normal rules apply again. */
  #settleFlapping(name: string, at: number): void {
    const within = this.#opts.services.get(name)?.policy.flapping?.within;
    if (!this.#flapping.has(name) || within === undefined) return;
    const last = this.#flips.get(name)?.at(-1) ?? 0;
    if (at - last > within) this.#flapping.delete(name);
  }

  #resolveTitle(name: string, roots: ReadonlyMap<string, ReadonlySet<string>>): string {
    const now = [...(roots.get(name) ?? [])];
    // Still down, but now because of a dependency: that dependency's incident takes over.
    return now.length > 0 ? `${name}: now attributed to ${now.sort().join(", ")}` : `${name} recovered`;
  }

  #emit(
    out: Decision[],
    incident: OpenIncident,
    event: NotificationEvent,
    at: number,
    title: string,
    channels: string[],
    acknowledgedBy?: string,
  ): void {
    const root = this.#opts.services.get(incident.root);
    if (!root) return;
    const observed = this.#statuses.get(incident.root);
    incident.lastSentAt = at;
    const notification = buildNotification(
      {
        id: this.#opts.newId(),
        incidentKey: incident.key,
        event,
        severity: root.policy.severity,
        title,
        reason: observed?.reason ?? "",
        root,
        rootStatus: observed?.status ?? "unknown",
        affected: incident.affected,
        since: incident.since,
        at,
        acknowledgedBy: acknowledgedBy ?? incident.acknowledged?.by,
      },
      this.#opts.publicUrl,
    );
    out.push({ notification, channels });
  }
}
