import { z } from "zod";
import { hmac, safeEqual } from "../auth/tokens.ts";

/*
 * A report share link: base64url(JSON) "." HMAC, like the history share links (auth/share.ts) but
 * stateless: it names one subject and range and expires; nothing else is reachable with it.
 */

const Payload = z.object({
  v: z.literal(1),
  k: z.enum(["service", "group"]),
  t: z.string().min(1).max(200),
  f: z.number().int(),
  to: z.number().int(),
  slo: z.number().min(0).max(1),
  e: z.number().int(),
});
export type ReportShare = z.infer<typeof Payload>;

export function signReport(secret: string, payload: ReportShare): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${body}.${hmac(secret, `report.v1.${body}`)}`;
}

/** The payload when signed by us and not expired; null otherwise (no reason given, on purpose). */
export function verifyReport(secret: string, token: string, now: Date): ReportShare | null {
  if (token.length > 2048) return null;
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return null;
  if (!safeEqual(sig, hmac(secret, `report.v1.${body}`))) return null;
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success && parsed.data.e > now.getTime() ? parsed.data : null;
  } catch {
    return null;
  }
}
