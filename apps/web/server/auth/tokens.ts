import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 bits from the CSPRNG, URL-safe. Session ids, CSRF tokens, setup tokens. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * What the database stores instead of a bearer token: a leaked sessions table cannot be replayed.
 * SHA-256 is enough here (unlike passwords) because the tokens carry 256 bits of entropy.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function hmac(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data, "utf8").digest("base64url");
}

/** Equal-length, constant-time string comparison (false for different lengths). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
