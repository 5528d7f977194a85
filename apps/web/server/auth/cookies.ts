import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "vigil_session";
export const CSRF_COOKIE = "vigil_csrf";
/** Random, HttpOnly: what a CSRF token is bound to before sign-in (see csrf.ts). */
export const PRESESSION_COOKIE = "vigil_presession";
export const SHARE_COOKIE = "vigil_share";
export const CSRF_HEADER = "x-csrf-token";
/**
 * Over https every cookie is named `__Host-<name>`: browsers accept such a cookie only with
 * Secure, Path=/ and no Domain, so neither a sibling subdomain nor a plain-http page can plant or
 * overwrite it. Plain http (localhost) cannot use the prefix and keeps the bare names.
 */
export const HOST_PREFIX = "__Host-";

/** Cookie header → name/value map; the first occurrence of a name wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    const raw = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      // A value that is not valid percent-encoding is not one of ours.
    }
  }
  return out;
}

/**
 * The cookie as this server sets it. Over https only `__Host-<name>` counts (a bare name there
 * may have been planted). Over http the bare name, else the prefixed one: a `__Host-` cookie can
 * only have been set over https, and the pages' own loopback calls (app/_lib/server-api.ts) are
 * plain http carrying the browser's https cookies.
 */
export function cookie(req: IncomingMessage, name: string, secure = false): string | undefined {
  const jar = parseCookies(req.headers.cookie);
  return secure ? jar.get(HOST_PREFIX + name) : (jar.get(name) ?? jar.get(HOST_PREFIX + name));
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  sameSite: "Strict" | "Lax";
  secure: boolean;
  path?: string;
}

export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const path = opts.path ?? "/";
  const fullName = opts.secure && path === "/" ? HOST_PREFIX + name : name;
  const parts = [`${fullName}=${encodeURIComponent(value)}`, `Path=${path}`, `SameSite=${opts.sameSite}`];
  if (opts.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
    if (opts.maxAgeSeconds <= 0) parts.push("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  }
  if (opts.httpOnly !== false) parts.push("HttpOnly");
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * True when the browser reached us over TLS: directly, or through a reverse proxy that says so
 * (X-Forwarded-Proto is only trusted when VIGIL_TRUST_PROXY=1, since anyone can send the header).
 */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ("encrypted" in req.socket && req.socket.encrypted === true) return true;
  if (!trustProxy) return false;
  const proto = String(req.headers["x-forwarded-proto"] ?? "")
    .split(",")[0]
    ?.trim();
  return proto === "https";
}
