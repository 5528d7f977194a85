import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "../async.ts";
import type { AuditLog } from "../auth/audit.ts";
import { clientIp } from "../auth/client-ip.ts";
import { requestIdOf } from "../auth/gate.ts";
import { FailureLimiter } from "../auth/rate-limit.ts";
import { readBody } from "../http/read-body.ts";
import type { LiveState } from "../live/state.ts";
import { runAction } from "../rest/actions.ts";
import type { OwnerRouting } from "../rest/deps.ts";
import { HttpError } from "../rest/errors.ts";
import type { DeployHooks } from "./hooks.ts";

/*
 * `POST /hooks/:id`, answered before the REST router: the hook proves itself with its HMAC over
 * the raw body (which the router does not keep), not with a session, so there is no cookie and no
 * CSRF token to check. Any other method gets 405 and nothing runs. Every call, good or bad, is
 * rate-limited and audited.
 */

const PATH = /^\/hooks\/([^/]+)\/?$/;
const MAX_BODY = 64 * 1024;
const BODY_TIMEOUT_MS = 10_000;

export interface HookEndpointDeps {
  hooks: DeployHooks;
  live: LiveState;
  audit: AuditLog;
  /** VIGIL_TRUST_PROXY: proxies in front of Vigil (the client is the right-most untrusted hop). */
  proxyHops: number;
  /** Cluster mode: hands the action to the instance that owns the service. */
  routing?: OwnerRouting | undefined;
}

export function hookEndpoint(
  deps: HookEndpointDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  // Per hook, accepted calls: 10 a minute is plenty for CI and stops a leaked secret flapping a
  // service. Refusals do not count here, so someone who knows only the id cannot block deploys.
  const perHook = new FailureLimiter({ max: 10, windowMs: 60_000, maxKeys: 10_000 });
  // Per client address, refused calls only: guessing secrets or ids gets slow fast.
  const refusedPerIp = new FailureLimiter({ max: 20, windowMs: 10 * 60_000, maxKeys: 10_000 });

  return async (req, res) => {
    const match = PATH.exec(new URL(req.url ?? "/", "http://localhost").pathname);
    if (!match) return false;
    const started = performance.now();
    const id = decodeURIComponent(match[1] ?? "");
    const ip = clientIp(req, deps.proxyHops);
    const requestId = requestIdOf(req);
    const audit = async (status: number, result: string, target: string, params: Record<string, unknown>) =>
      deps.audit.record({
        principal: null,
        action: "hook.call",
        input: { params: { id: id.slice(0, 36) }, body: { service: target, ...params } },
        credentials: false,
        reply: null,
        result,
        status,
        durationMs: performance.now() - started,
        requestId,
        ip,
      });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        ...headers,
      });
      res.end(JSON.stringify(body));
      return true;
    };

    if (req.method !== "POST") {
      // Link previews, crawlers and a mistyped curl must never trigger a deploy.
      req.resume();
      return reply(
        405,
        { error: { code: "bad_request", message: "use POST with a signed body" } },
        { allow: "POST" },
      );
    }
    const wait = Math.max(perHook.retryAfter(id), refusedPerIp.retryAfter(ip));
    if (wait > 0) {
      req.resume();
      await audit(429, "rate-limited", "", {});
      return reply(
        429,
        { error: { code: "rate_limited", message: "too many calls; retry later" } },
        { "retry-after": String(wait) },
      );
    }
    let body: string;
    try {
      body = await readBody(req, { maxBytes: MAX_BODY, timeoutMs: BODY_TIMEOUT_MS });
    } catch (err) {
      refusedPerIp.fail(ip);
      await audit(400, "rejected: body not read", "", {});
      // The unread rest of an over-long body is discarded; close the connection after the answer.
      return reply(
        400,
        { error: { code: "bad_request", message: errorMessage(err) } },
        { connection: "close" },
      );
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === "string" ? v : undefined;
    };
    const verdict = await deps.hooks.verify(
      id,
      header("x-vigil-timestamp"),
      header("x-vigil-signature"),
      body,
    );
    if (!verdict.ok) {
      refusedPerIp.fail(ip);
      await audit(verdict.status, `denied: ${verdict.reason}`, "", {});
      // One message for every refusal: the caller learns nothing about which part was wrong.
      return reply(verdict.status, { error: { code: "unauthorized", message: "hook call refused" } });
    }
    const { hook } = verdict;
    perHook.fail(id);
    const requestedBy = `hook:${hook.id.slice(0, 8)}`;
    const params = { action: hook.action, service: hook.service };
    if (deps.live.config.services[hook.service] === undefined) {
      await audit(409, "rejected: service no longer configured", hook.service, params);
      return reply(409, {
        error: { code: "conflict", message: `service "${hook.service}" is not in the config any more` },
      });
    }
    try {
      const request = {
        kind: hook.action === "rollback" ? ("rollback" as const) : ("restart" as const),
        targets: [hook.service],
        withDependents: hook.action === "redeploy",
      };
      // Cluster mode: the service's owner runs it, as for a click on the board.
      const accepted =
        (await deps.routing?.action(request, requestedBy)) ?? runAction(deps.live, request, requestedBy);
      await audit(202, `accepted ${accepted.actionId}`, hook.service, params);
      return reply(202, { actionId: accepted.actionId, deduplicated: accepted.deduplicated });
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 409;
      await audit(status, "rejected", hook.service, params);
      return reply(
        status,
        err instanceof HttpError ? err.body() : { error: { code: "conflict", message: errorMessage(err) } },
      );
    }
  };
}
