import type { Notification, NotificationEvent, Severity } from "../types.ts";

/*
 * The parts every human-facing channel shows, as plain text. Channels lay them out in their own
 * markup and escape every piece; nothing here is markup.
 */

const EVENT_LABEL: Record<NotificationEvent, string> = {
  trigger: "Alert",
  reminder: "Still failing",
  escalation: "Escalated",
  flapping: "Flapping",
  acknowledge: "Acknowledged",
  resolve: "Resolved",
  test: "Test notification",
};

/** Colours as RGB: red for failing, amber for warnings and flapping, green when resolved. */
export function colourOf(notification: Notification): number {
  if (notification.event === "resolve") return 0x2eb67d;
  if (notification.event === "acknowledge" || notification.event === "test") return 0x4a90d9;
  if (notification.event === "flapping" || notification.severity === "warning") return 0xecb22e;
  return notification.severity === "info" ? 0x4a90d9 : 0xe01e5a;
}

export const hexColour = (notification: Notification): string =>
  `#${colourOf(notification).toString(16).padStart(6, "0")}`;

export interface MessageParts {
  /** e.g. "Alert: redis is unhealthy (blocks 2 services)". */
  headline: string;
  label: string;
  facts: { name: string; value: string }[];
  links: { text: string; url: string }[];
}

export function messageParts(n: Notification): MessageParts {
  const label = EVENT_LABEL[n.event];
  const facts = [
    { name: "Root cause", value: `${n.rootCause.service} (${n.rootCause.status})` },
    { name: "Severity", value: n.severity },
    { name: "Reason", value: n.reason },
  ];
  if (n.affected.length > 0) facts.push({ name: "Blocked services", value: n.affected.join(", ") });
  if (n.acknowledgedBy) facts.push({ name: "Acknowledged by", value: n.acknowledgedBy });
  facts.push({ name: "At", value: n.at });
  const links = [{ text: "Service", url: n.links.service }];
  if (n.links.incident) links.push({ text: "Incident", url: n.links.incident });
  if (n.links.restart) links.push({ text: "Restart…", url: n.links.restart });
  if (n.links.rollback) links.push({ text: "Roll back…", url: n.links.rollback });
  return { headline: `${label}: ${n.title}`, label, facts, links };
}

/** The whole message as plain text (text fallbacks, email text part, push bodies). */
export function plainText(n: Notification): string {
  const parts = messageParts(n);
  return [
    parts.headline,
    "",
    ...parts.facts.map((f) => `${f.name}: ${f.value}`),
    "",
    ...parts.links.map((l) => `${l.text}: ${l.url}`),
  ].join("\n");
}

/** Cuts text to a provider's limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Priority on a 1 (lowest) … 5 (highest) scale, mapped per provider. */
export function urgency(n: Notification): 1 | 2 | 3 | 4 | 5 {
  if (n.event === "resolve" || n.event === "acknowledge" || n.event === "test") return 3;
  const bySeverity: Record<Severity, 2 | 4 | 5> = { critical: 5, warning: 4, info: 2 };
  return bySeverity[n.severity];
}
