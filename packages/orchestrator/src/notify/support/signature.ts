import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * The webhook signature: HMAC-SHA256 over `${timestamp}.${body}` with the shared secret, sent as
 * `X-Vigil-Signature: t=<unix seconds>,v1=<hex>`. Signing the timestamp lets a receiver reject
 * replays (anything older than the tolerance), the same scheme Stripe documents for its webhooks.
 */

export const SIGNATURE_HEADER = "X-Vigil-Signature";
/** Receivers should reject signatures older (or newer) than this. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signBody(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: string };

/** What a receiver does with the header; exported so receivers in TypeScript (and our tests) share it. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): Verification {
  if (!header) return { ok: false, reason: "missing signature header" };
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const at = item.indexOf("=");
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get("t")?.[0]);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: "no timestamp in signature" };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, reason: "timestamp outside tolerance (replay?)" };
  }
  const expected = Buffer.from(signBody(secret, body, timestamp).split("v1=")[1] ?? "", "hex");
  for (const candidate of parts.get("v1") ?? []) {
    const given = Buffer.from(candidate, "hex");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, timestamp };
  }
  return { ok: false, reason: "signature mismatch" };
}
