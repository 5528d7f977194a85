/*
 * Gotify: POST /message with an application token, priority and extras.
 * https://gotify.net/api-docs#/message/createMessage
 * https://gotify.net/docs/msgextras (client::display contentType, client::notification click url)
 * Answers: 200 with the message JSON; 400 {"error","errorCode","errorDescription"}; 401/403 on a bad token.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { escapeMarkdown } from "../support/escape.ts";
import { serverUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { messageParts, urgency } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const GotifyConfig = z
  .object({
    kind: z.literal("gotify"),
    /** The Gotify server, e.g. https://push.example.com (self-hosted: no default). */
    url: serverUrl,
    /** An application token (sent as X-Gotify-Key). */
    token: z.string().min(1),
    /** Gotify priorities 0-10; the default maps critical → 8, warning → 5, info/resolve → 2. */
    priority: z.number().int().min(0).max(10).optional(),
  })
  .strict();
export type GotifyConfig = z.output<typeof GotifyConfig>;

const GOTIFY_PRIORITY = { 1: 0, 2: 2, 3: 2, 4: 5, 5: 8 } as const;

function markdown(n: Notification): string {
  const parts = messageParts(n);
  return [
    ...parts.facts.map((f) => `**${f.name}:** ${escapeMarkdown(f.value)}`),
    parts.links.map((l) => `[${l.text}](${l.url})`).join(" · "),
  ].join("  \n");
}

export const gotifyChannel = defineChannel({
  kind: "gotify",
  schema: GotifyConfig,
  secretFields: ["token"],
  send(config, n, ctx) {
    const body = {
      title: messageParts(n).headline,
      message: markdown(n),
      priority: config.priority ?? GOTIFY_PRIORITY[urgency(n)],
      extras: {
        "client::display": { contentType: "text/markdown" },
        "client::notification": { click: { url: n.links.incident ?? n.links.service } },
      },
    };
    return postJson(`${config.url}/message`, body, ctx, { headers: { "X-Gotify-Key": config.token } });
  },
});
