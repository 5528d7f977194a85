import { NOTIFICATION_SCHEMA, type Notification } from "../notify/types.ts";

/** Text that is markup, a mention or an escape in some target: it must arrive as plain text. */
export const HOSTILE = "<b>&</b> *_~| @everyone <!channel> @here `x` [a](http://e.vil)";

export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    schema: NOTIFICATION_SCHEMA,
    id: "ntf_01HZX3T6Q8",
    incidentKey: "inc_redis_20261130T1500Z",
    event: "trigger",
    severity: "critical",
    title: `redis ${HOSTILE} is unhealthy (blocks 2 services)`,
    reason: `127.0.0.1:6379: connect ECONNREFUSED ${HOSTILE}`,
    rootCause: { service: "redis", status: "unhealthy", group: "data" },
    affected: ["api", "worker"],
    at: "2026-11-30T15:00:00.000Z",
    links: {
      service: "https://vigil.example/services/redis?from=2026-11-30T14:55:00Z&to=2026-11-30T15:05:00Z",
      incident: "https://vigil.example/incidents/inc_redis_20261130T1500Z",
      restart: "https://vigil.example/services/redis?action=restart",
    },
    ...overrides,
  };
}

/** A context with a real timeout; tests pass it to send(). */
export function deliveryContext(timeoutMs = 5000): { signal: AbortSignal; timeoutMs: number } {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs };
}
