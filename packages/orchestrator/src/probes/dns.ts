import { Resolver } from "node:dns/promises";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { errorText, verdict } from "./support/result.ts";
import type { CheckKindDef, Probe } from "./types.ts";

export const DNS_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS"] as const;
export const RCODES = ["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "NOTIMP", "FORMERR"] as const;
type DnsType = (typeof DNS_TYPES)[number];
type Rcode = (typeof RCODES)[number];

export const DnsCheck = z
  .strictObject({
    kind: z.literal("dns"),
    ...checkPolicy,
    query: z.string().min(1).describe("The name to look up (`name` is the check's own name)."),
    type: z.enum(DNS_TYPES).default("A").describe("Record type to ask for (A)."),
    server: z
      .string()
      .min(1)
      .optional()
      .describe('Server to ask, "host" or "host:port" ("[v6]:port"); the system resolvers when unset.'),
    expect: z
      .strictObject({
        rcode: z
          .enum(RCODES)
          .default("NOERROR")
          .describe("The response code the server must give (NOERROR)."),
        answers: z
          .array(z.string().min(1))
          .optional()
          .describe(
            'Answers that must be present, as in a zone file: A/AAAA an address, CNAME/NS a name, MX "10 mail.example.com", TXT the joined text, SRV "priority weight port target".',
          ),
        exact: z.boolean().default(false).describe("Also fail on answers that are not listed."),
      })
      .default({ rcode: "NOERROR", exact: false }),
  })
  .describe("DNS query to a given server: expected answers and response code.");
export type DnsCheckSpec = z.output<typeof DnsCheck>;

/** c-ares reports the server's response code as an error code; these are the rcodes it maps. */
const RCODE_OF_ERROR: Record<string, Rcode> = {
  ENOTFOUND: "NXDOMAIN",
  ESERVFAIL: "SERVFAIL",
  EREFUSED: "REFUSED",
  ENOTIMP: "NOTIMP",
  EFORMERR: "FORMERR",
  // NOERROR with an empty answer section.
  ENODATA: "NOERROR",
};

export const dnsProbe: Probe<DnsCheckSpec> = async (spec, ctx) => {
  const resolver = new Resolver({ timeout: ctx.timeoutMs, tries: 1 });
  if (spec.server !== undefined) resolver.setServers([spec.server]);
  const cancel = () => resolver.cancel();
  ctx.signal.addEventListener("abort", cancel, { once: true });
  const asked = `${spec.type} ${spec.query}${spec.server === undefined ? "" : ` @${spec.server}`}`;
  try {
    const answers = await lookup(resolver, spec.query, spec.type);
    return judgeDns(spec, asked, "NOERROR", answers);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const code = (error as { code?: unknown }).code;
    const rcode = typeof code === "string" ? RCODE_OF_ERROR[code] : undefined;
    // No rcode means no answer at all (timeout, refused connection): nothing to compare.
    if (rcode === undefined) return verdict("unhealthy", `${asked}: ${errorText(error)}`);
    return judgeDns(spec, asked, rcode, []);
  } finally {
    ctx.signal.removeEventListener("abort", cancel);
  }
};

/** Compares what the server said with what the check expects; pure, so unit-tested directly. */
export function judgeDns(spec: DnsCheckSpec, asked: string, rcode: Rcode, answers: string[]) {
  const details = { rcode, answers };
  const seen = answers.length === 0 ? "no answers" : answers.join(", ");
  if (rcode !== spec.expect.rcode) {
    return verdict("unhealthy", `${asked}: ${rcode} (expected ${spec.expect.rcode}), ${seen}`, details);
  }
  const expected = (spec.expect.answers ?? []).map(normalize);
  const got = new Set(answers.map(normalize));
  const missing = expected.filter((answer) => !got.has(answer));
  if (missing.length > 0) {
    return verdict("unhealthy", `${asked}: missing ${missing.join(", ")}; got ${seen}`, details);
  }
  if (spec.expect.exact) {
    const extra = [...got].filter((answer) => !expected.includes(answer));
    if (extra.length > 0) return verdict("unhealthy", `${asked}: unexpected ${extra.join(", ")}`, details);
  }
  if (rcode === "NOERROR" && answers.length === 0 && spec.expect.answers === undefined) {
    return verdict("unhealthy", `${asked}: NOERROR but no ${spec.type} records`, details);
  }
  return verdict("healthy", `${asked}: ${rcode}${answers.length > 0 ? `, ${seen}` : ""}`, details);
}

/** Names compare without case or the root dot; addresses as given. */
const normalize = (answer: string): string => answer.trim().replace(/\.$/, "").toLowerCase();

/** Answers as zone-file text, so expectations read like the records people publish. */
async function lookup(resolver: Resolver, name: string, type: DnsType): Promise<string[]> {
  switch (type) {
    case "A":
      return resolver.resolve4(name);
    case "AAAA":
      return resolver.resolve6(name);
    case "CNAME":
      return resolver.resolveCname(name);
    case "NS":
      return resolver.resolveNs(name);
    case "MX":
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case "TXT":
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
    case "SRV":
      return (await resolver.resolveSrv(name)).map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`);
  }
}

export const dns: CheckKindDef<DnsCheckSpec> = { schema: DnsCheck, probe: dnsProbe };
