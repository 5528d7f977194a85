import type { IncomingMessage } from "node:http";

/*
 * Cross-site request checks. A browser always sends Origin on cross-origin requests and WebSocket
 * handshakes, and Sec-Fetch-Site on every request; clients without either are not browsers and
 * cannot be driven by a foreign page, so they are judged by their credentials alone.
 */

export interface OriginPolicy {
  /** Extra allowed origins (VIGIL_ALLOWED_ORIGINS, comma-separated), e.g. the reverse proxy's URL. */
  allowed: readonly string[];
  /** Trust X-Forwarded-Host/-Proto (VIGIL_TRUST_PROXY set to 1 or more). */
  trustProxy: boolean;
  /** How many appending proxies stand in front (VIGIL_TRUST_PROXY=N); see client-ip.ts. */
  proxyHops: number;
}

export function parseAllowedOrigins(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      try {
        return new URL(s).origin;
      } catch {
        throw new Error(`VIGIL_ALLOWED_ORIGINS: "${s}" is not an origin like https://vigil.example.com`);
      }
    });
}

function ownHost(req: IncomingMessage, policy: OriginPolicy): string | undefined {
  const forwarded = policy.trustProxy
    ? String(req.headers["x-forwarded-host"] ?? "")
        .split(",")[0]
        ?.trim()
    : "";
  return forwarded || req.headers.host;
}

/** True when an Origin header value is this server itself or explicitly allowed. */
export function originAllowed(origin: string, req: IncomingMessage, policy: OriginPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (policy.allowed.includes(parsed.origin)) return true;
  const host = ownHost(req, policy);
  return host !== undefined && parsed.host === host.toLowerCase();
}

/** For state-changing requests and socket handshakes: false = refuse, the request came from elsewhere. */
export function sameOriginRequest(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (typeof origin === "string" && origin !== "") return originAllowed(origin, req, policy);
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin" || site === "none";
  return true;
}
