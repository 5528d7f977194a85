/*
 * Generic webhook: Vigil's own documented, versioned JSON (docs/webhook.md), signed.
 * Signature scheme modelled on Stripe's (https://docs.stripe.com/webhooks#verify-manually):
 * HMAC-SHA256 over `timestamp.body`, timestamp checked against a tolerance to reject replays.
 * Idempotency-Key as in the IETF draft (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/).
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { headerRecord, httpUrl } from "../support/fields.ts";
import { sendHttp } from "../support/http.ts";
import { SIGNATURE_HEADER, signBody } from "../support/signature.ts";
import { renderTemplate, TEMPLATE_FIELDS, templatePaths } from "../support/template.ts";

export const WebhookConfig = z
  .object({
    kind: z.literal("webhook"),
    url: httpUrl,
    method: z.enum(["POST", "PUT"]).default("POST"),
    /** Extra headers (e.g. Authorization); they cannot replace the signature or idempotency headers. */
    headers: headerRecord.default({}),
    /** Shared secret for the signature header; without it the body is sent unsigned. */
    secret: z.string().min(16, "use at least 16 characters").optional(),
    /** Replaces the default body: `{{field.path}}` placeholders over the notification. */
    template: z.string().min(1).optional(),
    content_type: z.string().default("application/json"),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.template === undefined) return;
    for (const path of templatePaths(config.template)) {
      if (!TEMPLATE_FIELDS.includes(path)) {
        ctx.addIssue({
          code: "custom",
          path: ["template"],
          message: `unknown placeholder {{${path}}} (known: ${TEMPLATE_FIELDS.join(", ")})`,
        });
      }
    }
  });
export type WebhookConfig = z.output<typeof WebhookConfig>;

/** Headers Vigil owns; a custom header of the same name (any case) is dropped, never merged. */
const RESERVED = new Set([
  "content-type",
  "idempotency-key",
  "x-vigil-event",
  SIGNATURE_HEADER.toLowerCase(),
]);

function customHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (RESERVED.has(name.toLowerCase())) continue;
    // Our default User-Agent gives way to the configured one whatever its case.
    out[name.toLowerCase() === "user-agent" ? "User-Agent" : name] = value;
  }
  return out;
}

export const webhookChannel = defineChannel({
  kind: "webhook",
  schema: WebhookConfig,
  secretFields: ["secret", "headers"],
  async send(config, notification, ctx) {
    const body =
      config.template === undefined
        ? JSON.stringify(notification)
        : renderTemplate(config.template, notification);
    const headers: Record<string, string> = {
      "User-Agent": "Vigil-Notify/1",
      ...customHeaders(config.headers),
      "Content-Type": config.content_type,
      "Idempotency-Key": notification.id,
      "X-Vigil-Event": notification.event,
    };
    if (config.secret !== undefined) {
      headers[SIGNATURE_HEADER] = signBody(config.secret, body, Math.floor(Date.now() / 1000));
    }
    return sendHttp({ url: config.url, method: config.method, headers, body }, ctx);
  },
});
