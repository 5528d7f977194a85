import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "../rest/router.ts";
import { adminRoutes } from "./admin-routes.ts";
import { AuditLog } from "./audit.ts";
import { isHttps } from "./cookies.ts";
import { Gate } from "./gate.ts";
import { type OriginPolicy, parseAllowedOrigins } from "./origin.ts";
import { pageGate } from "./pages.ts";
import { ROUTE_RULES, ruleKey } from "./permissions.ts";
import type { Authorize } from "./seam.ts";
import { AuthService } from "./service.ts";
import { sessionRoutes } from "./session-routes.ts";
import { guardSockets } from "./socket.ts";
import type { Sql } from "./sql.ts";
import { AuthStore } from "./store.ts";

export type { Denial, GateInput } from "./gate.ts";
export type { AuthReply, AuthRoute } from "./http.ts";
export { type Need, ROUTE_RULES, SOCKET_RULES } from "./permissions.ts";
export type { Principal, Role } from "./roles.ts";
export { socketPrincipal } from "./socket.ts";
export type { Sql } from "./sql.ts";

/**
 * Settings from the environment, read once at boot: VIGIL_SECRET, VIGIL_ADMIN_USER,
 * VIGIL_ADMIN_PASSWORD, VIGIL_ALLOWED_ORIGINS, VIGIL_TRUST_PROXY, VIGIL_ANONYMOUS_READ,
 * VIGIL_METRICS_TOKEN, VIGIL_SESSION_HOURS (see SECURITY.md).
 */
export type AuthEnv = Readonly<Record<string, string | undefined>>;

export interface Auth {
  service: AuthService;
  gate: Gate;
  /** The router's hook: every REST request passes the gate. */
  authorize: Authorize;
  /** Sign-in, users, share links, audit. */
  routes: Route[];
  origins: OriginPolicy;
  /** `io.use` admission plus per-event checks; returns a disposer. */
  guardSockets: (io: Parameters<typeof guardSockets>[0]) => () => void;
  /** In front of Next: true when it answered (redirect to /login, share link, 403). */
  pageGate(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The first-run URL to print, while no user exists. */
  setupUrl(base: string): string | null;
  close(): void;
}

export async function createAuth(opts: {
  sql: Sql;
  env: AuthEnv;
  log: (line: string) => void;
  /** Masks config secrets in audit parameters and log lines. */
  redact: (text: string) => string;
  /** Names of configured services (share links must name one). */
  services: () => string[];
}): Promise<Auth> {
  const { env, log } = opts;
  const origins: OriginPolicy = {
    allowed: parseAllowedOrigins(env.VIGIL_ALLOWED_ORIGINS),
    trustProxy: env.VIGIL_TRUST_PROXY === "1",
  };
  const hours = Number(env.VIGIL_SESSION_HOURS ?? 168);
  const store = new AuthStore(opts.sql);
  const service = new AuthService({
    store,
    secret: env.VIGIL_SECRET || undefined,
    sessionTtlMs: (Number.isFinite(hours) && hours > 0 ? hours : 168) * 3_600_000,
    anonymousRead: env.VIGIL_ANONYMOUS_READ === "1",
    log,
  });
  await service.init({ adminUser: env.VIGIL_ADMIN_USER, adminPassword: env.VIGIL_ADMIN_PASSWORD });
  if (service.anonymousRead) log("auth: VIGIL_ANONYMOUS_READ=1 — anyone who can reach Vigil can read it");
  const audit = new AuditLog(store, opts.redact, log);
  const gate = new Gate({
    auth: service,
    audit,
    origins,
    metricsToken: env.VIGIL_METRICS_TOKEN || undefined,
    log,
  });
  const secure = (req: IncomingMessage) => isHttps(req, origins.trustProxy);
  const routes: Route[] = [
    ...sessionRoutes({
      auth: service,
      trustProxy: origins.trustProxy,
      secureCookies: (ctx) => secure(ctx.req),
    }),
    ...adminRoutes({ auth: service, services: opts.services }),
  ].map((r): Route => ({ ...r, permission: ROUTE_RULES[ruleKey(r.method, r.path)]?.need ?? "admin" }));
  const authorize: Authorize = async (req, ctx) => {
    const out = await gate.admit(req, { method: ctx.method, path: ctx.path }, ctx);
    if (out.ok) return { ok: true, principal: out.principal, finish: out.finish };
    return { ok: false, status: out.status, code: out.body.error.code, message: out.body.error.message };
  };
  const purge = setInterval(() => void store.purgeExpiredSessions().catch(() => undefined), 3_600_000);
  purge.unref();
  const disposers: (() => void)[] = [];
  return {
    service,
    gate,
    authorize,
    routes,
    origins,
    guardSockets: (io) => {
      const dispose = guardSockets(io, { auth: service, origins, log });
      disposers.push(dispose);
      return dispose;
    },
    pageGate: (req, res) => pageGate(req, res, { auth: service, gate, secure }),
    setupUrl: (base) => {
      const token = service.setupToken;
      return token ? `${base}/login?setup=${token}` : null;
    },
    close: () => {
      clearInterval(purge);
      for (const d of disposers.splice(0)) d();
    },
  };
}
