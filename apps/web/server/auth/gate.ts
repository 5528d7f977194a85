import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AuditLog } from "./audit.ts";
import { clientIp } from "./client-ip.ts";
import { CSRF_HEADER } from "./cookies.ts";
import { type OriginPolicy, sameOriginRequest } from "./origin.ts";
import { meets, ROUTE_RULES, type RouteRule, ruleKey, withinShare } from "./permissions.ts";
import type { Principal } from "./roles.ts";
import type { AuthService } from "./service.ts";
import { safeEqual } from "./tokens.ts";

/*
 * The one wrapper every REST request passes: table lookup (deny when missing), CSRF for anything
 * that changes state, authentication, role and share-scope checks, and the audit record for
 * audited routes whatever the outcome. Denials say as little as possible.
 */

export interface GateInput {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export interface Denial {
  ok: false;
  status: 401 | 403 | 503;
  body: { error: { code: "unauthorized" | "forbidden" | "unavailable"; message: string } };
}

export interface Admitted {
  ok: true;
  principal: Principal | null;
  requestId: string;
  /** Records the outcome of an audited route; a no-op for the others. */
  finish(status: number, body: unknown): Promise<void>;
}

export interface GateOptions {
  auth: AuthService;
  audit: AuditLog;
  origins: OriginPolicy;
  /** VIGIL_METRICS_TOKEN: lets Prometheus scrape /metrics with `Authorization: Bearer …`. */
  metricsToken?: string | undefined;
  log: (line: string) => void;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const deny = (status: Denial["status"], code: Denial["body"]["error"]["code"], message: string): Denial => ({
  ok: false,
  status,
  body: { error: { code, message } },
});

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}

export class Gate {
  constructor(private readonly opts: GateOptions) {}

  /** CSRF: same origin (Origin / Sec-Fetch-Site) and the token bound to this request's session. */
  csrfOk(req: IncomingMessage): boolean {
    return (
      sameOriginRequest(req, this.opts.origins) && this.opts.auth.csrfValid(req, req.headers[CSRF_HEADER])
    );
  }

  async admit(
    req: IncomingMessage,
    route: { method: string; path: string },
    input: GateInput,
  ): Promise<Denial | Admitted> {
    const started = performance.now();
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const rule: RouteRule | undefined = ROUTE_RULES[ruleKey(route.method, route.path)];
    const requestId = requestIdOf(req);
    if (!rule) {
      this.opts.log(`auth: no permission entry for ${ruleKey(route.method, route.path)}; denied`);
      return deny(403, "forbidden", "not allowed");
    }
    let principal: Principal | null = null;
    const audit = async (status: number, body: unknown) => {
      if (!rule.audit) return;
      await this.opts.audit.record({
        principal,
        action: rule.audit,
        input,
        credentials: rule.credentials === true,
        reply: body,
        status,
        durationMs: performance.now() - started,
        requestId,
        ip: clientIp(req, this.opts.origins.proxyHops),
      });
    };
    const refuse = async (d: Denial): Promise<Denial> => {
      await audit(d.status, d.body);
      return d;
    };

    if (!SAFE.has(method) && !this.csrfOk(req)) {
      principal = await this.#principal(req).catch(() => null);
      // A session that expired in the browser takes its CSRF binding with it: say "sign in" (401,
      // which the page follows to the sign-in form) rather than a 403 it could never get past.
      if (principal === null && rule.need !== "public" && rule.need !== "metrics") {
        return refuse(deny(401, "unauthorized", "sign in required"));
      }
      return refuse(deny(403, "forbidden", "request refused (CSRF check failed)"));
    }
    try {
      principal = await this.#principal(req);
    } catch (err) {
      this.opts.log(`auth: session lookup failed: ${err instanceof Error ? err.message : String(err)}`);
      return deny(503, "unavailable", "sign-in is unavailable right now; try again shortly");
    }
    if (rule.need === "metrics" && principal === null && this.#metricsBearer(req)) {
      return { ok: true, principal: null, requestId, finish: async () => undefined };
    }
    if (principal?.kind === "share") {
      const scoped =
        rule.need === "public" || (rule.need === "read" && withinShare(principal, rule.share, input));
      if (!scoped) return refuse(deny(403, "forbidden", "not allowed"));
    } else if (!meets(principal, rule.need)) {
      return principal === null
        ? refuse(deny(401, "unauthorized", "sign in required"))
        : refuse(deny(403, "forbidden", "not allowed"));
    }
    return { ok: true, principal, requestId, finish: audit };
  }

  principal(req: IncomingMessage): Promise<Principal | null> {
    return this.#principal(req);
  }

  #principal(req: IncomingMessage): Promise<Principal | null> {
    return this.opts.auth.principal(req);
  }

  #metricsBearer(req: IncomingMessage): boolean {
    const token = this.opts.metricsToken;
    const header = req.headers.authorization;
    return !!token && typeof header === "string" && safeEqual(header, `Bearer ${token}`);
  }
}
