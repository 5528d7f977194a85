import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "vigil_session";
export const CSRF_COOKIE = "vigil_csrf";
/** Random, HttpOnly: what a CSRF token is bound to before sign-in (see csrf.ts). */
export const PRESESSION_COOKIE = "vigil_presession";
export const SHARE_COOKIE = "vigil_share";
export const CSRF_HEADER = "x-csrf-token";

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

export function cookie(req: IncomingMessage, name: string): string | undefined {
  return parseCookies(req.headers.cookie).get(name);
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  sameSite: "Strict" | "Lax";
  secure: boolean;
  path?: string;
}

export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${opts.path ?? "/"}`,
    `SameSite=${opts.sameSite}`,
  ];
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
