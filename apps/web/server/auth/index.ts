import type { IncomingMessage, ServerResponse } from "node:http";
import { type AuthSettings, parseAuthSettings } from "../env.ts";
import type { Route } from "../rest/router.ts";
import { adminRoutes } from "./admin-routes.ts";
import { ApiTokens } from "./api-tokens.ts";
import { AuditLog } from "./audit.ts";
import { BearerAuthService, type BearerResolver } from "./bearer.ts";
import { isHttps } from "./cookies.ts";
import { Gate } from "./gate.ts";
import { type HostPolicy, hostPolicy } from "./hosts.ts";
import type { OriginPolicy } from "./origin.ts";
import { ownSessionRoutes } from "./own-sessions-routes.ts";
import { pageGate } from "./pages.ts";
import { ROUTE_RULES, ruleKey } from "./permissions.ts";
import type { Authorize } from "./seam.ts";
import type { AuthService } from "./service.ts";
import { sessionRoutes } from "./session-routes.ts";
import { guardSockets } from "./socket.ts";
import type { Sql } from "./sql.ts";
import { AuthStore } from "./store.ts";
import { tokenRoutes } from "./token-routes.ts";

export type { Denial, GateInput } from "./gate.ts";
export type { AuthReply, AuthRoute } from "./http.ts";
export { type Need, ROUTE_RULES, SOCKET_RULES } from "./permissions.ts";
export type { Principal, Role } from "./roles.ts";
export { socketPrincipal } from "./socket.ts";
export type { Sql } from "./sql.ts";

/**
 * Settings from the environment, read once at boot: VIGIL_SECRET, VIGIL_ADMIN_USER,
 * VIGIL_ADMIN_PASSWORD, VIGIL_ALLOWED_ORIGINS, VIGIL_TRUST_PROXY, VIGIL_ANONYMOUS_READ,
 * VIGIL_METRICS_TOKEN, VIGIL_SESSION_HOURS, VIGIL_SESSION_IDLE_MINUTES, VIGIL_ALLOWED_HOSTS,
 * VIGIL_PUBLIC_URL and HOST (see SECURITY.md).
 */
export type AuthEnv = Readonly<Record<string, string | undefined>>;

export interface Auth {
  service: AuthService;
  /** API tokens (Bearer), see api-tokens.ts. */
  tokens: ApiTokens;
  /** The audit trail, for surfaces outside the REST gate (deploy hooks). */
  audit: AuditLog;
  gate: Gate;
  /** The router's hook: every REST request passes the gate. */
  authorize: Authorize;
  /** Sign-in, users, share links, audit. */
  routes: Route[];
  origins: OriginPolicy;
  /** The Host names this server answers to (DNS rebinding); app.ts puts it in front of everything. */
  hosts: HostPolicy;
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
  /** Raw variables (tests); the server passes `settings`, parsed once at start (env.ts). */
  env?: AuthEnv;
  settings?: AuthSettings;
  /** Extra `Authorization: Bearer` credentials (the server's local CLI credential). */
  bearers?: BearerResolver[];
  log: (line: string) => void;
  /** Masks config secrets in audit parameters and log lines. */
  redact: (text: string) => string;
  /** Names of configured services (share links must name one). */
  services: () => string[];
}): Promise<Auth> {
  const { log } = opts;
  const env = opts.settings ?? parseAuthSettings(opts.env ?? {});
  const proxyHops = env.proxyHops;
  const origins: OriginPolicy = {
    allowed: env.allowedOrigins,
    trustProxy: proxyHops > 0,
    proxyHops,
  };
  const hosts = hostPolicy({
    allowedHosts: env.allowedHosts,
    listenHost: env.listenHost,
    publicUrl: env.publicUrl,
    internalUrl: env.internalUrl,
    allowedOrigins: origins.allowed,
    trustProxy: origins.trustProxy,
  });
  // Said once at boot: a 421 after a deploy is then one log line away from its fix.
  if (env.allowedHosts || env.publicUrl || proxyHops > 0)
    log(`auth: answering to the hosts ${[...hosts.names].join(", ")} (VIGIL_ALLOWED_HOSTS adds more)`);
  const store = new AuthStore(opts.sql);
  const tokens = new ApiTokens(opts.sql);
  const bearers = [...(opts.bearers ?? []), (token: string) => tokens.principal(token)];
  const secure = (req: IncomingMessage) => isHttps(req, origins.trustProxy);
  const service = new BearerAuthService(
    {
      secure,
      store,
      secret: env.secret,
      sessionTtlMs: env.sessionHours * 3_600_000,
      sessionIdleMs: env.idleMinutes === null ? undefined : env.idleMinutes * 60_000,
      anonymousRead: env.anonymousRead,
      log,
    },
    bearers,
  );
  await service.init({ adminUser: env.adminUser, adminPassword: env.adminPassword });
  if (service.anonymousRead) log("auth: VIGIL_ANONYMOUS_READ=1 — anyone who can reach Vigil can read it");
  const audit = new AuditLog(store, opts.redact, log, (text) => service.pseudonym(text));
  const gate = new Gate({
    auth: service,
    audit,
    origins,
    metricsToken: env.metricsToken,
    log,
  });
  const routes: Route[] = [
    ...sessionRoutes({
      auth: service,
      proxyHops,
      secureCookies: (ctx) => secure(ctx.req),
    }),
    ...ownSessionRoutes({ auth: service }),
    ...adminRoutes({ auth: service, services: opts.services }),
    ...tokenRoutes(tokens),
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
    tokens,
    audit,
    gate,
    authorize,
    routes,
    origins,
    hosts,
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
