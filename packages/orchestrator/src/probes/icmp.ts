import { execFile } from "node:child_process";
import { z } from "zod";
import { type PingSummary, parsePing } from "./icmp/parse.ts";
import { checkPolicy } from "./support/policy.ts";
import { errorText, healthy, unhealthy, verdict } from "./support/result.ts";
import { judgeValues, valueConditionFields } from "./support/values.ts";
import type { CheckKindDef, Probe, ProbeResult, ValueInfo } from "./types.ts";

const ICMP_VALUES = {
  rtt_ms: { unit: "ms", description: "Average round trip of the echo replies." },
  loss_pct: { unit: "%", description: "Share of echo requests that got no reply." },
} as const satisfies Record<string, ValueInfo>;

/** Seconds between echo requests: the shortest iputils allows without root. */
const SPACING_S = 0.2;

export const IcmpCheck = z
  .strictObject({
    kind: z.literal("icmp"),
    ...checkPolicy,
    host: z
      .string()
      // A refine, not a pattern: the JSON Schema sees `${VAR}` placeholders before substitution.
      .refine(
        (host) => /^[a-zA-Z0-9_.:%[\]-]+$/.test(host) && !host.startsWith("-"),
        "use a host name or an IP address",
      )
      .describe("Host name or IP address to ping."),
    count: z.number().int().min(1).max(20).default(3).describe("Echo requests per run (0.2 s apart)."),
    family: z
      .union([z.literal(4), z.literal(6)])
      .optional()
      .describe("Force IPv4 (4) or IPv6 (6) for a host name with both."),
    expect: z
      .strictObject(valueConditionFields(ICMP_VALUES))
      .optional()
      .describe('Conditions, e.g. { rtt_ms: "< 50", loss_pct: "== 0" }; failing ones are degraded.'),
  })
  .describe("Pings a host with the system ping: packet loss and round-trip time.");

export type IcmpCheckSpec = z.output<typeof IcmpCheck>;

export const icmpProbe: Probe<IcmpCheckSpec> = async (spec, ctx) => {
  // ping stops by itself at its deadline, a little before the run's timeout, so its summary still arrives.
  const deadline = Math.max(1, Math.floor((ctx.timeoutMs - 250) / 1000));
  const args = ["-n", "-c", String(spec.count), "-i", String(SPACING_S), "-w", String(deadline)];
  if (spec.family !== undefined) args.push(`-${spec.family}`);
  args.push(spec.host);
  const { stdout, stderr, error } = await ping(args, ctx.signal);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const summary = parsePing(stdout);
  if (summary === undefined) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
      return unhealthy("ping is not installed on this machine (Debian: apt-get install iputils-ping)");
    }
    const why = stderr.trim().split("\n").pop() || (error ? errorText(error) : "no summary from ping");
    return unhealthy(`${spec.host}: ${why.replace(/^ping: /, "")}`);
  }
  return judgeValues(mapPing(spec.host, summary), spec.expect, "degraded");
};

/** All replies lost is unhealthy, some lost degraded; values carry the loss and the average round trip. */
export function mapPing(host: string, summary: PingSummary): ProbeResult {
  const values: Record<string, number> = { loss_pct: summary.lossPct };
  if (summary.rttMs !== undefined) values.rtt_ms = summary.rttMs;
  const details = {
    sent: summary.sent,
    received: summary.received,
    rtt_min_ms: summary.rttMinMs,
    rtt_max_ms: summary.rttMaxMs,
  };
  const counts = `${summary.received}/${summary.sent} replies`;
  if (summary.received === 0) return { ...unhealthy(`${host}: no reply (${counts})`, details), values };
  const message = `${host}: ${counts}, ${summary.lossPct}% loss, rtt ${summary.rttMs ?? "?"} ms`;
  const status = summary.received < summary.sent ? "degraded" : "healthy";
  return {
    ...(status === "healthy" ? healthy(message, details) : verdict(status, message, details)),
    values,
  };
}

/** Runs ping; its exit code 1 (some or all replies missing) still carries a summary, so it is not an error here. */
function ping(
  args: string[],
  signal: AbortSignal,
): Promise<{ stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(
      "ping",
      args,
      { signal, maxBuffer: 256 * 1024, env: { ...process.env, LC_ALL: "C" } },
      (error, stdout, stderr) => resolve(error ? { stdout, stderr, error } : { stdout, stderr }),
    );
  });
}

export const icmp: CheckKindDef<IcmpCheckSpec> = { schema: IcmpCheck, probe: icmpProbe, values: ICMP_VALUES };
