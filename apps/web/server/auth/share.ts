import { z } from "zod";
import { hmac, safeEqual } from "./tokens.ts";

/*
 * A share link token: base64url(JSON payload) "." HMAC-SHA256(secret, payload). The signature
 * stops forgery without a database hit; the database row (found by the token's SHA-256, exact
 * match) adds revocation and is compared with the payload, so both have to agree.
 */

const Payload = z.object({
  v: z.literal(1),
  id: z.uuid(),
  s: z.string().min(1).max(200),
  f: z.number().int(),
  t: z.number().int(),
  e: z.number().int(),
  n: z.string().min(8).max(64),
});
export type SharePayload = z.infer<typeof Payload>;

export function signShare(secret: string, payload: SharePayload): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${body}.${hmac(secret, `share.v1.${body}`)}`;
}

/** The payload when the signature is valid; null for anything else (no reason given, on purpose). */
export function verifyShare(secret: string, token: string): SharePayload | null {
  if (token.length > 2048) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const body = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (!safeEqual(sig, hmac(secret, `share.v1.${body}`))) return null;
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
