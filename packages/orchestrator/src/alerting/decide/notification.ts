import {
  NOTIFICATION_SCHEMA,
  type Notification,
  type NotificationEvent,
  type Severity,
} from "../../notify/types.ts";
import type { ServiceStatus } from "../../status/model.ts";
import { hostOfRoot } from "./hosts.ts";
import type { AlertService } from "./policy.ts";

/** How far around the moment a notification's service link looks (before, after). */
const LINK_BEFORE_MS = 30 * 60_000;
const LINK_AFTER_MS = 5 * 60_000;

export interface NotificationFacts {
  id: string;
  incidentKey: string;
  event: NotificationEvent;
  severity: Severity;
  title: string;
  reason: string;
  root: AlertService;
  rootStatus: ServiceStatus;
  affected: string[];
  /** When the incident started: the service link's window begins before it. */
  since: number;
  at: number;
  acknowledgedBy?: string | undefined;
}

/**
 * A Notification with absolute links: the service page over a fixed window around the incident
 * (so the link shows the same thing tomorrow), the incident, and — for services Vigil controls —
 * links that *open* the restart / rollback confirmation. Nothing is done by following a link.
 */
export function buildNotification(facts: NotificationFacts, publicUrl: string): Notification {
  const base = publicUrl.replace(/\/+$/, "");
  const service = `${base}/services/${encodeURIComponent(facts.root.name)}`;
  const window = new URLSearchParams({
    from: new Date(facts.since - LINK_BEFORE_MS).toISOString(),
    to: new Date(facts.at + LINK_AFTER_MS).toISOString(),
  });
  // A Docker host has no page of its own: its link is the board filtered to what it took down.
  const links: Notification["links"] = {
    service:
      hostOfRoot(facts.root.name) === undefined ? `${service}?${window}` : `${base}/?status=host-unreachable`,
    incident: `${base}/incidents/${encodeURIComponent(facts.incidentKey)}`,
  };
  if (facts.root.controllable) {
    links.restart = `${service}?confirm=restart`;
    links.rollback = `${service}?confirm=rollback`;
  }
  return {
    schema: NOTIFICATION_SCHEMA,
    id: facts.id,
    incidentKey: facts.incidentKey,
    event: facts.event,
    severity: facts.severity,
    title: facts.title,
    reason: facts.reason,
    rootCause: { service: facts.root.name, status: facts.rootStatus, group: facts.root.group },
    affected: facts.affected,
    at: new Date(facts.at).toISOString(),
    ...(facts.acknowledgedBy === undefined ? {} : { acknowledgedBy: facts.acknowledgedBy }),
    links,
  };
}

/** "redis is unhealthy (blocks 6 services)"; "Docker host edge-1 is unreachable (3 services)". */
export function triggerTitle(root: string, affected: readonly string[]): string {
  const count = `${affected.length} service${affected.length === 1 ? "" : "s"}`;
  const host = hostOfRoot(root);
  if (host !== undefined) return `Docker host ${host} is unreachable (${count})`;
  if (affected.length === 0) return `${root} is unhealthy`;
  return `${root} is unhealthy (blocks ${count})`;
}
