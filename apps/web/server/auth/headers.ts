import type { IncomingMessage, ServerResponse } from "node:http";
import { isHttps } from "./cookies.ts";

/*
 * Headers every response carries, API and pages alike. Pages get their nonce-based CSP from
 * proxy.ts; everything else (JSON, metrics, redirects) gets a CSP that allows nothing at all.
 */
export function setSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { trustProxy: boolean; page: boolean },
): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  if (!opts.page) res.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  // Only over TLS: HSTS on plain http would be ignored, and pinning it behind a misconfigured
  // proxy could lock users out.
  if (isHttps(req, opts.trustProxy)) res.setHeader("Strict-Transport-Security", "max-age=31536000");
}
