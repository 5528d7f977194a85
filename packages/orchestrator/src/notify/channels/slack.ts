/*
 * Slack incoming webhook with Block Kit and a `text` fallback.
 * https://api.slack.com/messaging/webhooks
 * https://api.slack.com/reference/block-kit/blocks
 * Escaping: https://api.slack.com/reference/surfaces/formatting#escaping (& < > only).
 * Answers: 200 "ok"; 400/403/404 with a plain-text reason (invalid_payload, invalid_token, …); 429 with Retry-After.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { escapeSlack } from "../support/escape.ts";
import { httpUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { clip, messageParts, plainText } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const SlackConfig = z
  .object({
    kind: z.literal("slack"),
    /** The incoming-webhook URL (it embeds the token: a secret). */
    url: httpUrl,
  })
  .strict();
export type SlackConfig = z.output<typeof SlackConfig>;

/** Block Kit limits: header 150 characters, section text 3000. */
export function slackPayload(n: Notification): object {
  const parts = messageParts(n);
  return {
    text: escapeSlack(clip(plainText(n), 600)),
    blocks: [
      { type: "header", text: { type: "plain_text", text: clip(parts.headline, 150), emoji: false } },
      {
        type: "section",
        fields: parts.facts.slice(0, 10).map((f) => ({
          type: "mrkdwn",
          // 400 characters escaped is at most 2,000 (`&amp;` is 5): within the field limit.
          text: `*${f.name}*\n${escapeSlack(clip(f.value, 400))}`,
        })),
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: parts.links.map((l) => `<${escapeSlack(l.url)}|${escapeSlack(l.text)}>`).join(" · "),
          },
        ],
      },
    ],
  };
}

export const slackChannel = defineChannel({
  kind: "slack",
  schema: SlackConfig,
  secretFields: ["url"],
  send: (config, n, ctx) => postJson(config.url, slackPayload(n), ctx),
});
