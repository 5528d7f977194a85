import { z } from "zod";
import type { Answer, Received } from "./receiver.ts";

/*
 * Provider receivers for channel tests: each checks the request against what its provider
 * documents (method, path, content type, auth, required fields) and answers the way the provider
 * does, its success on a valid request and its rejection (with its error body) otherwise. A
 * channel that drifts from the documented shape then fails its test at the receiver.
 */

interface Provider {
  method: "POST" | "PUT";
  contentType: RegExp;
  /** The documented body: a zod schema of the required fields (extra fields allowed). */
  body: z.ZodType;
  success: Answer;
  rejected: (reason: string) => Answer;
  unauthorized: Answer;
}

const json = /^application\/json/;
const text = z.string().min(1);

const PROVIDERS = {
  slack: {
    method: "POST",
    contentType: json,
    body: z.object({ text, blocks: z.array(z.object({ type: text })).max(50) }),
    success: { status: 200, body: "ok" },
    rejected: () => ({ status: 400, body: "invalid_payload" }),
    unauthorized: { status: 403, body: "invalid_token" },
  },
  discord: {
    method: "POST",
    contentType: json,
    body: z.object({
      content: z.string().max(2000),
      allowed_mentions: z.object({ parse: z.array(z.string()) }),
      embeds: z
        .array(
          z.object({
            title: z.string().max(256),
            color: z.number().int(),
            fields: z.array(z.object({ name: z.string().max(256), value: z.string().max(1024) })).max(25),
          }),
        )
        .max(10),
    }),
    success: { status: 204 },
    rejected: (reason) => ({
      status: 400,
      body: { message: "Invalid Form Body", code: 50035, errors: reason },
    }),
    unauthorized: { status: 401, body: { message: "Invalid Webhook Token", code: 50027 } },
  },
  teams: {
    method: "POST",
    contentType: json,
    body: z.object({
      type: z.literal("message"),
      attachments: z
        .array(
          z.object({
            contentType: z.literal("application/vnd.microsoft.card.adaptive"),
            content: z.object({ type: z.literal("AdaptiveCard"), version: text, body: z.array(z.unknown()) }),
          }),
        )
        .length(1),
    }),
    success: { status: 202 },
    rejected: (reason) => ({
      status: 400,
      body: { error: { code: "InvalidRequestContent", message: reason } },
    }),
    unauthorized: { status: 401, body: { error: { code: "DirectApiAuthorizationRequired" } } },
  },
  mattermost: {
    method: "POST",
    contentType: json,
    body: z.object({ attachments: z.array(z.object({ fallback: text })).min(1) }),
    success: { status: 200, body: "ok" },
    rejected: (reason) => ({
      status: 400,
      body: { id: "web.incoming_webhook.parse.app_error", message: reason },
    }),
    unauthorized: { status: 400, body: { id: "web.incoming_webhook.invalid.app_error" } },
  },
  telegram: {
    method: "POST",
    contentType: json,
    body: z.object({
      chat_id: z.union([z.number(), text]),
      text: z.string().min(1),
      parse_mode: z.literal("HTML"),
    }),
    success: { status: 200, body: { ok: true, result: { message_id: 1 } } },
    rejected: (reason) => ({
      status: 400,
      body: { ok: false, error_code: 400, description: `Bad Request: ${reason}` },
    }),
    unauthorized: { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } },
  },
  ntfy: {
    method: "POST",
    contentType: json,
    body: z.object({ topic: text, message: z.string(), priority: z.number().int().min(1).max(5).optional() }),
    success: { status: 200, body: { id: "hwQ2YpKdmg", event: "message" } },
    rejected: (reason) => ({ status: 400, body: { code: 40000, http: 400, error: reason } }),
    unauthorized: { status: 401, body: { code: 40101, http: 401, error: "unauthorized" } },
  },
  gotify: {
    method: "POST",
    contentType: json,
    body: z.object({ message: text, title: z.string().optional(), priority: z.number().int().optional() }),
    success: { status: 200, body: { id: 1, appid: 1 } },
    rejected: (reason) => ({
      status: 400,
      body: { error: "Bad Request", errorCode: 400, errorDescription: reason },
    }),
    unauthorized: {
      status: 401,
      body: {
        error: "Unauthorized",
        errorCode: 401,
        errorDescription: "you need to provide a valid access token",
      },
    },
  },
  pushover: {
    method: "POST",
    contentType: /^application\/x-www-form-urlencoded/,
    body: z.object({
      token: text,
      user: text,
      message: text.max(1024),
      title: z.string().max(250).optional(),
    }),
    success: { status: 200, body: { status: 1, request: "647d2300-702c-4b38-8b2f-d56326ae460b" } },
    rejected: (reason) => ({ status: 400, body: { status: 0, errors: [reason] } }),
    unauthorized: { status: 400, body: { status: 0, errors: ["application token is invalid"] } },
  },
  matrix: {
    method: "PUT",
    contentType: json,
    body: z.object({ msgtype: text, body: text }),
    success: { status: 200, body: { event_id: "$YUwRidLecu:example.com" } },
    rejected: (reason) => ({ status: 400, body: { errcode: "M_BAD_JSON", error: reason } }),
    unauthorized: {
      status: 401,
      body: { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed." },
    },
  },
  pagerduty: {
    method: "POST",
    contentType: json,
    body: z.union([
      z.object({
        routing_key: text,
        event_action: z.literal("trigger"),
        payload: z.object({
          summary: text.max(1024),
          source: text,
          severity: z.enum(["critical", "error", "warning", "info"]),
        }),
      }),
      z.object({ routing_key: text, event_action: z.enum(["acknowledge", "resolve"]), dedup_key: text }),
    ]),
    success: { status: 202, body: { status: "success", message: "Event processed", dedup_key: "k" } },
    rejected: (reason) => ({
      status: 400,
      body: { status: "invalid event", message: "Event object is invalid", errors: [reason] },
    }),
    unauthorized: { status: 400, body: { status: "invalid event", errors: ["Invalid routing key"] } },
  },
  opsgenie: {
    method: "POST",
    contentType: json,
    body: z.union([
      z.object({ message: text.max(130), alias: text.max(512).optional() }),
      z.object({ source: text }),
    ]),
    success: { status: 202, body: { result: "Request will be processed", took: 0.1, requestId: "43a29c5c" } },
    rejected: (reason) => ({ status: 422, body: { message: reason, took: 0 } }),
    unauthorized: { status: 401, body: { message: "Key format is not valid!", took: 0 } },
  },
} satisfies Record<string, Provider>;

export type ProviderName = keyof typeof PROVIDERS;

/** The answer function for startReceiver: checks the documented shape, answers like the provider. */
export function providerReceiver(
  name: ProviderName,
  expect: { path: string | RegExp; authorized?: (req: Received) => boolean },
): (req: Received) => Answer {
  const provider: Provider = PROVIDERS[name];
  return (req) => {
    const pathOk = typeof expect.path === "string" ? req.path === expect.path : expect.path.test(req.path);
    if (!pathOk) return { status: 404, body: "not found" };
    if (req.method !== provider.method) return { status: 405, body: "method not allowed" };
    if (expect.authorized && !expect.authorized(req)) return provider.unauthorized;
    if (!provider.contentType.test(req.headers["content-type"] ?? "")) {
      return provider.rejected(`unsupported content-type ${req.headers["content-type"]}`);
    }
    let body: unknown;
    try {
      body =
        provider.contentType === json
          ? JSON.parse(req.body)
          : Object.fromEntries(new URLSearchParams(req.body));
    } catch {
      return provider.rejected("body is not JSON");
    }
    const checked = provider.body.safeParse(body);
    return checked.success ? provider.success : provider.rejected(checked.error.message);
  };
}
