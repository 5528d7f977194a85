import type { z } from "zod";
import { errorText } from "../../probes/support/result.ts";
import type { Channel, ChannelContext, DeliveryOutcome, Notification, SentRequest } from "../types.ts";

/** A channel's config schema: an object whose `kind` literal names the channel in vigil.yaml. */
// biome-ignore lint/suspicious/noExplicitAny: zod's own bound for "any object schema" (z.ZodObject's default).
export type ChannelSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & Record<string, any>>;

export type DefinedChannel<S extends ChannelSchema> = Channel<z.output<S>> & {
  kind: z.output<S>["kind"];
  schema: S;
  /** Every secret value of a config (fields and derived forms), for redacting logs and API answers. */
  secrets(config: z.output<S>): string[];
};

/**
 * Declares a channel. The wrapper is the one place that guarantees the contract for every kind:
 * a channel that throws becomes a failed outcome, and no secret value (token, routing key,
 * password, webhook URL) ever appears in an outcome's error or response text.
 */
export function defineChannel<S extends ChannelSchema>(def: {
  kind: z.output<S>["kind"];
  schema: S;
  secretFields: readonly string[];
  /** Secrets computed from the config that appear on the wire, e.g. a Basic auth credential. */
  derivedSecrets?: (config: z.output<S>) => string[];
  send(config: z.output<S>, notification: Notification, ctx: ChannelContext): Promise<DeliveryOutcome>;
}): DefinedChannel<S> {
  // Longest first, so a secret that contains another (a "Bearer …" header) is masked whole.
  const secrets = (config: z.output<S>): string[] =>
    [...(def.derivedSecrets?.(config) ?? []), ...secretValues(config, def.secretFields)].sort(
      (a, b) => b.length - a.length,
    );
  const self = {
    kind: def.kind,
    schema: def.schema,
    secretFields: def.secretFields,
    secrets,
    async send(config: z.output<S>, notification: Notification, ctx: ChannelContext) {
      let outcome: DeliveryOutcome;
      try {
        outcome = await def.send(config, notification, ctx);
      } catch (error) {
        outcome = ctx.signal.aborted
          ? { ok: false, error: `timed out after ${ctx.timeoutMs}ms`, retryable: true }
          : { ok: false, error: `${def.kind} channel failed: ${errorText(error)}`, retryable: false };
      }
      return scrubOutcome(outcome, secrets(config));
    },
  };
  // Generic S hides that a ZodObject is a ZodType of its own output; the shapes are identical.
  return self as unknown as DefinedChannel<S>;
}

/** Values of the secret fields (dot paths; a record field contributes all its values). */
export function secretValues(config: unknown, fields: readonly string[]): string[] {
  const values: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") values.push(value);
    else if (value && typeof value === "object") for (const v of Object.values(value)) collect(v);
  };
  for (const field of fields) {
    let value: unknown = config;
    for (const key of field.split(".")) {
      value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    collect(value);
  }
  // Short values would blank out ordinary words; a secret that short is not protecting much anyway.
  return values.filter((v) => v.length >= 6);
}

/**
 * Replaces every secret value in `text` (also URL-encoded). A secret URL (a Slack webhook, say)
 * keeps its origin so a delivery log still shows where it went: `https://hooks.slack.com/***`.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    const url = URL.parse(secret);
    const mask = url && /^https?:$/.test(url.protocol) ? `${url.origin}/***` : "***";
    out = out.split(secret).join(mask);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(mask);
  }
  return out;
}

/** The outcome with secrets removed from its texts and from the request as sent (for the delivery log). */
function scrubOutcome(outcome: DeliveryOutcome, secrets: readonly string[]): DeliveryOutcome {
  if (secrets.length === 0) return outcome;
  const out = { ...outcome };
  if (out.sent) out.sent = scrubSent(out.sent, secrets);
  if (out.ok) {
    if (out.response !== undefined) out.response = scrub(out.response, secrets);
  } else {
    out.error = scrub(out.error, secrets);
  }
  return out;
}

function scrubSent(sent: SentRequest, secrets: readonly string[]): SentRequest {
  const out: SentRequest = { ...sent, target: scrub(sent.target, secrets), body: scrub(sent.body, secrets) };
  if (sent.headers) {
    out.headers = Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k, scrub(v, secrets)]));
  }
  return out;
}
