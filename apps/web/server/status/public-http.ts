import type { IncomingMessage, ServerResponse } from "node:http";
import { clientIp, rateKey } from "../auth/client-ip.ts";
import { cookie, isHttps, serializeCookie } from "../auth/cookies.ts";
import { verifyPassword } from "../auth/password.ts";
import { FailureLimiter } from "../auth/rate-limit.ts";
import { hashToken, hmac, safeEqual } from "../auth/tokens.ts";
import { readBody } from "../http/read-body.ts";
import { renderBadge } from "./badge-svg.ts";
import { type BadgeValue, badgeValue } from "./badge-values.ts";
import { IpLimiter, RenderCache, type Rendered } from "./cache.ts";
import type { StatusData } from "./data.ts";
import { renderAtom } from "./feed.ts";
import { PAGE_CSP, renderPage, renderPasswordForm } from "./html.ts";
import type { BadgeRow, PageRow } from "./model.ts";
import type { PublicSite } from "./site.ts";
import type { StatusStore } from "./store.ts";

/*
 * The public side, answered before the REST router and Next: /status/<slug>[/json|/feed.atom|
 * /logo|/enter], the same paths at the root of a page's custom domain, and /badge/<key>.svg.
 * No session, no socket; every answer is rate-limited per client address and cacheable.
 */

const PAGE_PATH = /^\/status\/([a-z0-9-]{1,64})(\/json|\/feed\.atom|\/logo|\/enter)?\/?$/;
const DOMAIN_PATH = /^(\/json|\/feed\.atom|\/logo|\/enter)?\/?$/;
const BADGE_PATH = /^\/badge\/([A-Za-z0-9_-]{20,100})\.svg$/;
const MAX_AGE = 10;
const PASSWORD_COOKIE_DAYS = 7;
const BADGE_ROW_TTL_MS = 60_000;
const BADGE_VALUE_TTL_MS = 30_000;

export interface PublicDeps {
  store: StatusStore;
  site: PublicSite;
  data: StatusData;
  /** Signs the password cookie. */
  secret: () => Promise<string>;
  /** VIGIL_TRUST_PROXY: proxies in front of Vigil (see auth/client-ip.ts). */
  proxyHops: number;
  /** Requests per minute per client address on public routes (VIGIL_PUBLIC_RATE_LIMIT). */
  perMinute: number;
  now?: () => Date;
}

export function createPublicHandler(deps: PublicDeps) {
  const cache = new RenderCache();
  const limiter = new IpLimiter({ perMinute: deps.perMinute, maxKeys: 50_000 });
  const passwordFailures = new FailureLimiter({ max: 5, windowMs: 15 * 60_000, maxKeys: 10_000 });
  const now = deps.now ?? (() => new Date());

  // The right-most untrusted hop, IPv6 by /64: the same client key sign-in limits use (finding 6).
  const clientKey = (req: IncomingMessage): string => rateKey(clientIp(req, deps.proxyHops));
  const trustProxy = deps.proxyHops > 0;

  const cookieName = (page: PageRow) => `vigil_sp_${page.id.slice(0, 8)}`;
  // Bound to the stored hash: changing or removing the password ends every cookie at once.
  const cookieValue = async (page: PageRow) =>
    hmac(await deps.secret(), `status-page.v1.${page.id}.${page.passwordHash}`);
  const unlocked = async (req: IncomingMessage, page: PageRow) =>
    page.passwordHash === null || safeEqual(cookie(req, cookieName(page)) ?? "", await cookieValue(page));

  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    out: Rendered,
    isPrivate: boolean,
    csp?: string,
  ): void {
    const headers: Record<string, string | number> = {
      "content-type": out.contentType,
      etag: out.etag,
      "cache-control": `${isPrivate ? "private" : "public"}, max-age=${MAX_AGE}`,
      // Only a protected page's answer depends on the cookie; public ones stay shareable by caches.
      ...(isPrivate ? { vary: "cookie" } : {}),
      // Public JSON and badges may be read by other sites' widgets (no credentials are involved).
      ...(!isPrivate && !csp ? { "access-control-allow-origin": "*" } : {}),
    };
    if (csp) headers["content-security-policy"] = csp;
    if (req.headers["if-none-match"] === out.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers["content-length"] = out.body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : out.body);
  }

  function plain(
    res: ServerResponse,
    status: number,
    text: string,
    extra: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      ...extra,
    });
    res.end(text);
  }

  async function servePage(
    req: IncomingMessage,
    res: ServerResponse,
    page: PageRow,
    sub: string,
    base: string,
  ) {
    if (sub === "/enter") return enter(req, res, page, base);
    if (req.method !== "GET" && req.method !== "HEAD")
      return plain(res, 405, "use GET", { allow: "GET, HEAD" });
    if (!(await unlocked(req, page))) {
      if (sub !== "") return plain(res, 401, "this status page needs its password");
      res.writeHead(401, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": PAGE_CSP,
      });
      res.end(renderPasswordForm(page.title, `${base}/enter`, false));
      return;
    }
    const isPrivate = page.passwordHash !== null;
    if (sub === "/logo") {
      if (!page.logoData || !page.logoType) return plain(res, 404, "no logo");
      res.writeHead(200, {
        "content-type": page.logoType,
        "cache-control": `${isPrivate ? "private" : "public"}, max-age=300`,
        "content-length": page.logoData.length,
      });
      res.end(req.method === "HEAD" ? undefined : page.logoData);
      return;
    }
    // The feed holds absolute URLs built from Host: part of its key, so one host's answer is never
    // served to another (cache poisoning); odd Host values all share one "localhost" entry.
    const rawHost = String(req.headers.host ?? "");
    const host = /^[a-z0-9.:[\]-]{1,100}$/i.test(rawHost) ? rawHost.toLowerCase() : "localhost";
    const { key, version } = await deps.site.renderKey(page);
    const out = await cache.get(`${sub}:${sub === "/feed.atom" ? host : ""}:${key}`, async () => {
      const view = await deps.site.view(page, `${base}/logo`, version);
      if (sub === "/json")
        return { body: JSON.stringify(view), contentType: "application/json; charset=utf-8" };
      if (sub === "/feed.atom") {
        const origin = `${isHttps(req, trustProxy) ? "https" : "http"}://${host}`;
        return {
          body: renderAtom(view, `${origin}${base}/feed.atom`, `${origin}${base || "/"}`),
          contentType: "application/atom+xml; charset=utf-8",
        };
      }
      return { body: renderPage(view, base), contentType: "text/html; charset=utf-8" };
    });
    answer(req, res, out, isPrivate, sub === "" ? PAGE_CSP : undefined);
  }

  async function enter(req: IncomingMessage, res: ServerResponse, page: PageRow, base: string) {
    if (req.method !== "POST") return plain(res, 405, "use POST", { allow: "POST" });
    const key = `${clientKey(req)}|${page.id}`;
    const wait = passwordFailures.retryAfter(key);
    if (wait > 0)
      return plain(res, 429, "too many wrong passwords; try again later", { "retry-after": String(wait) });
    const raw = await readBody(req, { maxBytes: 4096, timeoutMs: 10_000 }).catch(() => null);
    if (raw === null)
      return plain(res, 400, "send the password form (at most 4 kB, within 10 s)", { connection: "close" });
    const form = new URLSearchParams(raw);
    const password = form.get("password") ?? "";
    if (!page.passwordHash || !(await verifyPassword(password, page.passwordHash))) {
      passwordFailures.fail(key);
      res.writeHead(401, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": PAGE_CSP,
      });
      res.end(renderPasswordForm(page.title, `${base}/enter`, true));
      return;
    }
    passwordFailures.reset(key);
    res.writeHead(303, {
      location: base || "/",
      "cache-control": "no-store",
      "set-cookie": serializeCookie(cookieName(page), await cookieValue(page), {
        sameSite: "Lax",
        secure: isHttps(req, trustProxy),
        path: base || "/",
        maxAgeSeconds: PASSWORD_COOKIE_DAYS * 86_400,
      }),
    });
    res.end();
  }

  // Badge rows and values, briefly: a README viewed by many must not cost a query per view. A
  // revocation bumps the store's version, which drops every cached row at once.
  const badgeRows = new Map<string, { version: number; at: number; row: BadgeRow | null }>();
  const badgeValues = new Map<string, { at: number; value: BadgeValue }>();
  const bounded = <K, V>(map: Map<K, V>, key: K, value: V) => {
    map.set(key, value);
    if (map.size > 10_000) map.delete(map.keys().next().value as K);
  };

  async function serveBadge(req: IncomingMessage, res: ServerResponse, key: string) {
    const hash = hashToken(key);
    const t = now().getTime();
    let cached = badgeRows.get(hash);
    if (!cached || cached.version !== deps.store.version || t - cached.at > BADGE_ROW_TTL_MS) {
      const known = cached;
      // The database down: a badge known a moment ago is still that badge (revocation needs the
      // database too, so nothing revoked is served by this).
      const row = await deps.store.badgeByKeyHash(hash).catch((err: unknown) => {
        if (known) return known.row;
        throw err;
      });
      cached = { version: deps.store.version, at: t, row };
      bounded(badgeRows, hash, cached);
    }
    const badge = cached.row;
    if (!badge) return plain(res, 404, "no such badge");
    let held = badgeValues.get(badge.id);
    // Status is live (cheap); uptime and latency read the rollups at most every 30 s.
    if (badge.metric === "status" || !held || t - held.at > BADGE_VALUE_TTL_MS) {
      held = { at: t, value: await badgeValue(badge, deps.data, now()) };
      bounded(badgeValues, badge.id, held);
    }
    const v = held.value;
    const out = await cache.get(`badge:${badge.id}:${v.label}:${v.value}:${v.color}`, async () => ({
      body: renderBadge(v.label, v.value, v.color),
      contentType: "image/svg+xml; charset=utf-8",
    }));
    answer(req, res, out, false);
  }

  /** true when it answered. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const pageMatch = PAGE_PATH.exec(path);
    const badgeMatch = pageMatch ? null : BADGE_PATH.exec(path);
    let page: PageRow | null = null;
    let sub = "";
    let base = "";
    if (pageMatch) {
      page = await deps.site.bySlug(pageMatch[1] ?? "");
      sub = pageMatch[2] ?? "";
      base = `/status/${pageMatch[1]}`;
    } else if (!badgeMatch) {
      const domainMatch = DOMAIN_PATH.exec(path);
      if (!domainMatch) return false;
      const host = String(req.headers.host ?? "")
        .toLowerCase()
        .replace(/:\d+$/, "");
      // The dashboard's own "/" passes here too: a database hiccup must not take it down.
      page = await deps.site.byDomain(host).catch(() => null);
      if (!page) return false;
      sub = domainMatch[1] ?? "";
    }
    const wait = limiter.take(clientKey(req));
    if (wait > 0) {
      plain(res, 429, "too many requests", { "retry-after": String(wait) });
      return true;
    }
    if (badgeMatch) await serveBadge(req, res, badgeMatch[1] ?? "");
    else if (!page) plain(res, 404, "no such status page");
    else await servePage(req, res, page, sub, base);
    return true;
  };
}
