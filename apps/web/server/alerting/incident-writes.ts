import type { IncidentStore } from "@vigil/db";
import type { Notification } from "@vigil/orchestrator/notify";

/** Incident rows (packages/db's createIncidentStore); every write idempotent. */
export type IncidentWrites = Pick<
  IncidentStore,
  "open" | "acknowledge" | "resolve" | "event" | "silence" | "activeSilences" | "silencesBetween"
>;

/**
 * The incident rows one notification implies: a trigger (or flapping) opens the incident, an
 * acknowledge or resolve updates it, and every notification is a line on its timeline.
 */
export function incidentWrites(
  writes: IncidentWrites,
  n: Notification,
  channels: readonly string[],
): ((signal: AbortSignal) => Promise<void>)[] {
  const at = new Date(n.at);
  const out: ((signal: AbortSignal) => Promise<void>)[] = [];
  if (n.event === "trigger" || n.event === "flapping") {
    const row = {
      key: n.incidentKey,
      rootService: n.rootCause.service,
      severity: n.severity,
      title: n.title,
      affected: n.affected,
      openedAt: at,
    };
    out.push((signal) => writes.open(row, signal));
  }
  const by = n.acknowledgedBy;
  if (n.event === "acknowledge" && by)
    out.push((signal) => writes.acknowledge(n.incidentKey, by, at, signal));
  if (n.event === "resolve") out.push((signal) => writes.resolve(n.incidentKey, at, signal));
  const text = channels.length > 0 ? `${n.title} → ${channels.join(", ")}` : `${n.title} (no route matched)`;
  const event = { id: n.id, at, kind: n.event, actor: by ?? null, text };
  out.push((signal) => writes.event(n.incidentKey, event, signal));
  return out;
}
