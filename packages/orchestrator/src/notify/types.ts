import type { z } from "zod";
import type { ServiceStatus } from "../status/model.ts";

/*
 * The notification family's contract. Deciding *whether* to notify (thresholds, root cause,
 * reminders, escalation, maintenance) lives elsewhere and is pure; a channel only turns one
 * decided notification into exactly the request its provider documents and reports the outcome.
 */

/** Version of the JSON document the `webhook` channel posts; receivers may switch on it. */
export const NOTIFICATION_SCHEMA = "vigil.notification/v1" as const;

/** What happened to the incident this notification is about. */
export const NOTIFICATION_EVENTS = [
  "trigger",
  "reminder",
  "escalation",
  "flapping",
  "acknowledge",
  "resolve",
  "test",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One decided notification. Every text field is plain text: channels escape it for their markup. */
export interface Notification {
  schema: typeof NOTIFICATION_SCHEMA;
  /** Unique per notification (the outbox row): the idempotency key where a provider has one. */
  id: string;
  /** Stable for the whole incident: PagerDuty `dedup_key`, Opsgenie `alias`, email thread id. */
  incidentKey: string;
  event: NotificationEvent;
  severity: Severity;
  /** One line, e.g. "redis is unhealthy (blocks 6 services)". */
  title: string;
  /** The reason as seen by the check, e.g. "127.0.0.1:6379: connect ECONNREFUSED". */
  reason: string;
  /** The failing service the incident is about (never a merely blocked dependent). */
  rootCause: { service: string; status: ServiceStatus; group?: string };
  /** Services blocked by the root cause, sorted by name. */
  affected: string[];
  /** When the root cause's status changed (trigger) or the event happened, ISO-8601 UTC. */
  at: string;
  /** Who acknowledged (acknowledge events, and reminders after one). */
  acknowledgedBy?: string;
  /** Absolute links: the service page at that moment, the action confirmation, the incident. */
  links: { service: string; incident?: string; restart?: string; rollback?: string };
}

/** What a channel gets besides its config and the notification. */
export interface ChannelContext {
  /** Aborted at the delivery timeout; a channel must stop all work on abort. */
  signal: AbortSignal;
  timeoutMs: number;
}

/** The request as it was sent, for the delivery log (the caller redacts secrets before storing). */
export interface SentRequest {
  target: string;
  method?: string;
  headers?: Record<string, string>;
  body: string;
}

/** The outcome of one delivery attempt. A failing receiver is a value, not an exception. */
export type DeliveryOutcome =
  | { ok: true; sent: SentRequest; status?: number; response?: string }
  | {
      ok: false;
      sent?: SentRequest;
      status?: number;
      error: string;
      /** Timeouts, connection errors, 5xx and 429 are worth retrying; 4xx and bad config are not. */
      retryable: boolean;
      /** From Retry-After (seconds or HTTP date), when the receiver gave one. */
      retryAfterMs?: number;
    };

/** One channel kind: its config schema (validated at the edge) and its send. */
export interface Channel<C> {
  kind: string;
  schema: z.ZodType<C, unknown>;
  /** Config fields whose values are secrets (redacted in logs, delivery log and API answers). */
  secretFields: readonly string[];
  send(config: C, notification: Notification, ctx: ChannelContext): Promise<DeliveryOutcome>;
}
