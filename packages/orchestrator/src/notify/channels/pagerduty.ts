/*
 * PagerDuty Events API v2: trigger / acknowledge / resolve with a stable dedup_key.
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 * https://developer.pagerduty.com/docs/events-api-v2/acknowledge-events/ and …/resolve-events/
 * https://developer.pagerduty.com/api-reference/368ae3d938c9e-send-an-event-to-pager-duty
 * (summary ≤ 1024 characters; severity critical|error|warning|info; timestamp ISO-8601)
 * Answers: 202 {"status":"success","dedup_key"}; 400 {"status":"invalid event","errors"}; 429; 5xx.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { baseUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { clip } from "../support/message.ts";
import type { Notification, NotificationEvent } from "../types.ts";

export const PagerDutyConfig = z
  .object({
    kind: z.literal("pagerduty"),
    /** The Events API v2 integration key of the service. */
    routing_key: z.string().min(1),
    /** Shown as the event's source; defaults to the root-cause service name. */
    source: z.string().min(1).optional(),
    api_url: baseUrl("https://events.pagerduty.com"),
  })
  .strict();
export type PagerDutyConfig = z.output<typeof PagerDutyConfig>;

/** Reminders, escalations and flapping re-trigger the same alert (PagerDuty dedups by key). */
const ACTION: Record<NotificationEvent, "trigger" | "acknowledge" | "resolve"> = {
  trigger: "trigger",
  reminder: "trigger",
  escalation: "trigger",
  flapping: "trigger",
  test: "trigger",
  acknowledge: "acknowledge",
  resolve: "resolve",
};

export function pagerDutyEvent(config: PagerDutyConfig, n: Notification): object {
  const action = ACTION[n.event];
  // A test must not land on (or resolve) a real incident: it gets its own key.
  const dedupKey = clip(n.event === "test" ? n.id : n.incidentKey, 255);
  const base = { routing_key: config.routing_key, event_action: action, dedup_key: dedupKey };
  if (action !== "trigger") return base;
  const links = [{ href: n.links.service, text: `Vigil: ${n.rootCause.service}` }];
  if (n.links.incident) links.push({ href: n.links.incident, text: "Vigil incident" });
  const payload: Record<string, unknown> = {
    summary: clip(n.title, 1024),
    source: config.source ?? n.rootCause.service,
    severity: n.severity,
    timestamp: n.at,
    component: n.rootCause.service,
    class: n.event,
    custom_details: {
      reason: n.reason,
      root_cause_status: n.rootCause.status,
      blocked_services: n.affected,
      notification_id: n.id,
    },
  };
  if (n.rootCause.group) payload.group = n.rootCause.group;
  return { ...base, payload, links, client: "Vigil", client_url: n.links.service };
}

export const pagerDutyChannel = defineChannel({
  kind: "pagerduty",
  schema: PagerDutyConfig,
  secretFields: ["routing_key"],
  send: (config, n, ctx) => postJson(`${config.api_url}/v2/enqueue`, pagerDutyEvent(config, n), ctx),
});
