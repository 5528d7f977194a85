import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/*
 * Who is asking, for rate limits and the audit. Behind N reverse proxies that append to
 * X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`), only the last N entries were written by
 * proxies we trust; everything to their left is whatever the client sent. So the client is the
 * N-th entry from the right, never the left-most one (which a client picks itself).
 */

/** VIGIL_TRUST_PROXY: unset/0 = no proxy, 1 = one proxy, 2 = two in a row, …; `true` reads as 1. */
export function parseProxyHops(text: string | undefined): number {
  const value = (text ?? "").trim().toLowerCase();
  if (value === "" || value === "0" || value === "false") return 0;
  if (value === "true") return 1;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10)
    throw new Error(`VIGIL_TRUST_PROXY: "${text}" is not a number of proxies (0-10) in front of Vigil`);
  return hops;
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) → `10.0.0.1`; anything else unchanged. */
function plainIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

export function clientIp(req: IncomingMessage, proxyHops: number): string {
  const peer = plainIp(req.socket.remoteAddress ?? "unknown");
  if (proxyHops <= 0) return peer;
  const header = req.headers["x-forwarded-for"];
  const entries = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  // Fewer entries than proxies: the request skipped a proxy; the left-most one is the best we know.
  const chosen = entries[Math.max(0, entries.length - proxyHops)];
  const ip = chosen === undefined ? "" : plainIp(chosen.replace(/^\[(.*)\](:\d+)?$/, "$1"));
  return isIP(ip) ? ip : peer;
}

/** Eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail expanded); null if not IPv6. */
function ipv6Groups(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null;
  let text = ip.split("%")[0] ?? ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(zeros).fill("0"), ...right].map((g) => Number.parseInt(g, 16));
}

/**
 * The key a client is rate-limited under: its IPv4 address, or its IPv6 /64 — one subscriber
 * usually holds a whole /64 and could otherwise rotate through 2^64 addresses.
 */
export function rateKey(ip: string): string {
  const plain = plainIp(ip);
  const groups = ipv6Groups(plain);
  if (!groups) return plain;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}
