/*
 * ntfy, publishing as JSON to the server root (title/priority/tags/click as JSON fields: no header
 * encoding trouble with non-ASCII titles).
 * https://docs.ntfy.sh/publish/#publish-as-json
 * https://docs.ntfy.sh/publish/#access-tokens (Authorization: Bearer tk_…) and #username-password
 * Answers: 200 with the message JSON; 401/403 on auth; 429 when rate limited.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { baseUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { clip, messageParts, plainText, urgency } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const NtfyConfig = z
  .object({
    kind: z.literal("ntfy"),
    url: baseUrl("https://ntfy.sh"),
    topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, "ntfy topics are 1-64 letters, digits, - and _"),
    /** An access token (tk_…), or username + password. */
    token: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => (c.username === undefined) === (c.password === undefined), {
    message: "username and password go together",
    path: ["password"],
  });
export type NtfyConfig = z.output<typeof NtfyConfig>;

const basic = (c: NtfyConfig): string | undefined =>
  c.username !== undefined && c.password !== undefined
    ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`
    : undefined;

function tags(n: Notification): string[] {
  if (n.event === "resolve") return ["white_check_mark", "vigil"];
  if (n.event === "acknowledge") return ["eyes", "vigil"];
  return [n.severity === "critical" ? "rotating_light" : "warning", "vigil"];
}

export const ntfyChannel = defineChannel({
  kind: "ntfy",
  schema: NtfyConfig,
  secretFields: ["token", "password"],
  derivedSecrets: (c) => [basic(c)?.slice(6) ?? ""].filter(Boolean),
  send(config, n, ctx) {
    const headers: Record<string, string> = {};
    const auth = config.token !== undefined ? `Bearer ${config.token}` : basic(config);
    if (auth) headers.Authorization = auth;
    const body = {
      topic: config.topic,
      title: clip(messageParts(n).headline, 250),
      // Plain text body: no markdown flag, so nothing in it is interpreted.
      message: clip(plainText(n), 4000),
      priority: urgency(n),
      tags: tags(n),
      click: n.links.incident ?? n.links.service,
    };
    return postJson(`${config.url}/`, body, ctx, { headers });
  },
});
