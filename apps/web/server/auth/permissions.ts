import { CONTROL_ROUTE_RULES } from "./control-rules.ts";
import type { Principal } from "./roles.ts";
import { atLeast } from "./roles.ts";

/*
 * THE permission table. Every REST route and every Socket.IO client event is listed here with
 * what it needs; the gate (gate.ts, socket.ts) looks requests up in it and denies anything that
 * has no entry. Adding a route without adding a line here makes the route unreachable, on purpose.
 */

/**
 * public: anyone (health probes, the sign-in endpoints, which check their own secrets);
 * signed-in: a user of any role (own password, sign-out);
 * read: any user, the anonymous wall display, and share links where `share` allows it;
 * act: operator or admin; admin: admin only;
 * metrics: a user, or the VIGIL_METRICS_TOKEN bearer (Prometheus cannot sign in).
 */
export type Need = "public" | "signed-in" | "read" | "act" | "admin" | "metrics";

/** How a share link's scope (one service, one window) limits a read route. */
export type ShareCheck = "service-param" | "service-window";

export interface RouteRule {
  need: Need;
  share?: ShareCheck;
  /** Recorded in the audit log, allowed or denied, under this name. */
  audit?: string;
  /** The body carries credentials: the audit records only the names of its fields. */
  credentials?: true;
}

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  "GET /healthz": { need: "public" },
  "GET /readyz": { need: "public" },
  "GET /metrics": { need: "metrics" },
  "GET /api/openapi.json": { need: "read" },

  "GET /api/services": { need: "read" },
  "GET /api/services/:name": { need: "read", share: "service-param" },
  "GET /api/services/:name/logs": { need: "read" },
  // The URLs are the jobs' credentials: operators only, never through share links.
  "GET /api/services/:name/push": { need: "act" },
  "GET /api/graph": { need: "read" },
  "GET /api/history": { need: "read", share: "service-window" },
  "GET /api/events": { need: "read", share: "service-window" },
  "GET /api/incidents": { need: "read", share: "service-window" },
  "GET /api/actions": { need: "read" },
  "GET /api/actions/:id": { need: "read" },
  "POST /api/actions": { need: "act", audit: "action.run" },
  "POST /api/actions/:id/cancel": { need: "act", audit: "action.cancel" },
  "GET /api/jobs/:name/runs": { need: "read", share: "service-param" },
  "POST /api/jobs/:name/run": { need: "act", audit: "job.run" },
  "GET /api/audit": { need: "read" },
  // The copy holds every user, session and audit row: admins only, and audited.
  "POST /api/store/backup": { need: "admin", audit: "store.backup" },

  "GET /api/alerts/incidents": { need: "read" },
  "GET /api/alerts/incidents/:key": { need: "read" },
  "POST /api/alerts/incidents/:key/ack": { need: "act", audit: "incident.ack" },
  "POST /api/alerts/incidents/:key/notes": { need: "act", audit: "incident.note" },
  "GET /api/alerts/channels": { need: "read" },
  "POST /api/alerts/channels/:name/test": { need: "act", audit: "alerts.test" },
  "GET /api/alerts/deliveries": { need: "read" },
  "POST /api/alerts/deliveries/retry": { need: "act", audit: "alerts.retry" },
  "POST /api/alerts/silences": { need: "act", audit: "alerts.silence" },
  "GET /api/alerts/maintenance": { need: "read" },

  "GET /api/auth/session": { need: "public" },
  "POST /api/auth/login": { need: "public", audit: "auth.login", credentials: true },
  "POST /api/auth/logout": { need: "public" },
  "POST /api/auth/setup": { need: "public", audit: "auth.setup", credentials: true },
  "POST /api/auth/password": { need: "signed-in", audit: "auth.password", credentials: true },
  "GET /api/auth/sessions": { need: "signed-in" },
  "POST /api/auth/sessions/:id/revoke": { need: "signed-in", audit: "auth.session.revoke" },
  "POST /api/auth/sessions/revoke-others": { need: "signed-in", audit: "auth.session.revoke" },

  "GET /api/users": { need: "admin" },
  "POST /api/users": { need: "admin", audit: "user.create", credentials: true },
  "POST /api/users/:id/role": { need: "admin", audit: "user.role" },
  "POST /api/users/:id/password": { need: "admin", audit: "user.password", credentials: true },
  "POST /api/users/:id/delete": { need: "admin", audit: "user.delete" },

  "GET /api/shares": { need: "act" },
  "POST /api/shares": { need: "act", audit: "share.create" },
  "POST /api/shares/:id/revoke": { need: "act", audit: "share.revoke" },
  ...CONTROL_ROUTE_RULES,

  // Status pages, notices and badges (server/status/routes.ts). Page bodies may carry a password.
  "GET /api/status-pages": { need: "act" },
  "POST /api/status-pages": { need: "act", audit: "status_page.create", credentials: true },
  "GET /api/status-pages/:id": { need: "act" },
  "POST /api/status-pages/:id": { need: "act", audit: "status_page.update", credentials: true },
  "POST /api/status-pages/:id/delete": { need: "act", audit: "status_page.delete" },
  "POST /api/status-pages/:id/notices": { need: "act", audit: "status_notice.create" },
  "POST /api/status-notices/:id/updates": { need: "act", audit: "status_notice.update" },
  "POST /api/status-notices/:id/delete": { need: "act", audit: "status_notice.delete" },
  "POST /api/alerts/incidents/:key/public-update": { need: "act", audit: "status_notice.incident_update" },
  "GET /api/badges": { need: "act" },
  "POST /api/badges": { need: "act", audit: "badge.create" },
  "POST /api/badges/:id/revoke": { need: "act", audit: "badge.revoke" },
  "GET /api/reports": { need: "read" },
  "POST /api/reports/share": { need: "act", audit: "report.share" },
};

/** Client → server Socket.IO events. The connection itself needs `read` (and no share link). */
export const SOCKET_RULES: Readonly<Record<string, Need>> = {
  subscribe: "read",
  unsubscribe: "read",
};

export const ruleKey = (method: string, path: string) => `${method} ${path}`;

/** Does the principal's role meet the need? (Scope of share links is checked separately.) */
export function meets(principal: Principal | null, need: Need): boolean {
  switch (need) {
    case "public":
      return true;
    case "signed-in":
      return principal?.kind === "user";
    case "read":
    case "metrics":
      return principal !== null;
    case "act":
      return principal?.kind === "user" && atLeast(principal.role, "operator");
    case "admin":
      return principal?.kind === "user" && atLeast(principal.role, "admin");
  }
}

/**
 * A share principal may use a read route only inside its service and window. Window routes are
 * narrowed rather than refused: missing or wider `from`/`to` are clamped to the link's window (the
 * handler reads the same query object), so the shared page's panels show that window only.
 */
export function withinShare(
  principal: Extract<Principal, { kind: "share" }>,
  check: ShareCheck | undefined,
  input: { params: Record<string, string>; query: Record<string, string> },
): boolean {
  const { service, from, to } = principal.share;
  if (check === "service-param") return input.params.name === service;
  if (check !== "service-window" || input.query.service !== service) return false;
  const f = Date.parse(input.query.from ?? "");
  const t = Date.parse(input.query.to ?? "");
  const start = Number.isFinite(f) ? Math.max(f, from.getTime()) : from.getTime();
  const end = Number.isFinite(t) ? Math.min(t, to.getTime()) : to.getTime();
  if (start >= end) return false;
  input.query.from = new Date(start).toISOString();
  input.query.to = new Date(end).toISOString();
  return true;
}
