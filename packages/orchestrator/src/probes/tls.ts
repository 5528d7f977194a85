import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { errorText, verdict } from "./support/result.ts";
import { type TlsFacts, tlsHandshake } from "./support/tls-handshake.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import type { CheckKindDef, Probe, ProbeResult } from "./types.ts";

const DAY = 86_400_000;
const PROTOCOLS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;

/** Values a tls check reports (https `http` checks report the same). */
export const TLS_VALUES = {
  days_remaining: {
    unit: "days",
    description: "Days until the server certificate expires (negative once expired).",
  },
} as const;

export const TlsCheck = z
  .strictObject({
    kind: z.literal("tls"),
    ...checkPolicy,
    host: z.string().min(1).describe("Host name or IP address to connect to."),
    port: z.number().int().min(1).max(65535).default(443).describe("TCP port (443)."),
    servername: z
      .string()
      .min(1)
      .optional()
      .describe("Name sent as SNI and that the certificate must cover; defaults to host."),
    ca_file: z
      .string()
      .min(1)
      .optional()
      .describe("PEM file of extra CA certificates to trust (a private CA)."),
    min_version: z
      .enum(PROTOCOLS)
      .default("TLSv1.2")
      .describe("Lowest acceptable negotiated protocol; older ones are unhealthy."),
    warning_days: z
      .number()
      .min(0)
      .default(14)
      .describe("Fewer days than this until the certificate expires is degraded (14)."),
    expect: z
      .strictObject({ ...valueConditionFields(TLS_VALUES) })
      .optional()
      .describe("Extra conditions on days_remaining; a failing one is degraded."),
  })
  .describe("TLS handshake: chain, host name, protocol version and days until the certificate expires.");
export type TlsCheckSpec = z.output<typeof TlsCheck>;

export const tlsProbe: Probe<TlsCheckSpec> = async (spec, ctx) => {
  const where = `${spec.host}:${spec.port}`;
  let facts: TlsFacts;
  try {
    facts = await tlsHandshake({
      host: spec.host,
      port: spec.port,
      servername: spec.servername,
      caFile: spec.ca_file,
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return verdict("unhealthy", `${where}: ${errorText(error)}`);
  }
  return judgeValues(judgeTls(facts, spec, Date.now(), where), spec.expect, "degraded");
};

/**
 * Days until the certificate of an https URL expires, or undefined (not https, or no handshake):
 * the request itself reports connection and trust failures, this only adds the expiry value.
 */
export async function certificateDays(raw: string, signal: AbortSignal): Promise<number | undefined> {
  if (!mayBeHttps(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:") return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  try {
    const facts = await tlsHandshake({ host, port: Number(url.port || 443), signal });
    return daysRemaining(facts.validTo, Date.now());
  } catch {
    return undefined;
  }
}

/**
 * False only when `raw` cannot parse as an https: URL, without parsing it (the http probe asks on
 * every run). The URL parser drops tabs and newlines anywhere and matches the scheme in any case, so
 * an https URL always contains "https:" once those are removed.
 */
function mayBeHttps(raw: string): boolean {
  const compact = /[\t\n\r]/.test(raw) ? raw.replace(/[\t\n\r]/g, "") : raw;
  return /https:/i.test(compact);
}

/** Days until `validTo`, to two decimals (negative once expired). */
export const daysRemaining = (validTo: Date, now: number): number =>
  Math.round(((validTo.getTime() - now) / DAY) * 100) / 100;

/** Maps what a handshake showed to a verdict; pure, so every branch is unit-tested. */
export function judgeTls(facts: TlsFacts, spec: TlsCheckSpec, now: number, where: string): ProbeResult {
  const days = daysRemaining(facts.validTo, now);
  const until = facts.validTo.toISOString().slice(0, 10);
  const result = (status: ProbeResult["status"], message: string): ProbeResult => ({
    ...verdict(status, `${where}: ${message}`, {
      protocol: facts.protocol,
      subject: facts.subject,
      issuer: facts.issuer,
      validFrom: facts.validFrom.toISOString(),
      validTo: facts.validTo.toISOString(),
      fingerprint256: facts.fingerprint256,
    }),
    values: { days_remaining: days },
  });
  if (days <= 0) return result("unhealthy", `certificate expired ${describeDays(-days)} ago (${until})`);
  if (facts.validFrom.getTime() > now) {
    return result("unhealthy", `certificate not valid before ${facts.validFrom.toISOString()}`);
  }
  if (!facts.trusted) return result("unhealthy", `certificate not trusted: ${facts.trustError ?? "unknown"}`);
  if (facts.hostnameError !== undefined) return result("unhealthy", facts.hostnameError);
  if (PROTOCOLS.indexOf(facts.protocol as (typeof PROTOCOLS)[number]) < PROTOCOLS.indexOf(spec.min_version)) {
    return result("unhealthy", `negotiated ${facts.protocol}, below min_version ${spec.min_version}`);
  }
  if (days < spec.warning_days) {
    return result("degraded", `certificate expires in ${describeDays(days)} (${until})`);
  }
  return result("healthy", `${facts.protocol}, certificate valid for ${describeDays(days)} (until ${until})`);
}

/** "3 days", "1 day", "5 hours": whole units as people read expiry (2.99 days left reads "3 days"). */
export function describeDays(days: number): string {
  if (days >= 1) {
    const whole = Math.round(days);
    return `${whole} day${whole === 1 ? "" : "s"}`;
  }
  const hours = Math.floor(days * 24);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

export const tls: CheckKindDef<TlsCheckSpec> = { schema: TlsCheck, probe: tlsProbe, values: TLS_VALUES };
