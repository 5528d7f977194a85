/*
 * Mattermost incoming webhook with a message attachment.
 * https://developers.mattermost.com/integrate/webhooks/incoming/
 * https://developers.mattermost.com/integrate/reference/message-attachments/
 * Answers: 200 "ok"; 400 with a JSON error (e.g. invalid payload); 403 when integrations are disabled.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { escapeMarkdown } from "../support/escape.ts";
import { httpUrl } from "../support/fields.ts";
import { postJson } from "../support/http.ts";
import { hexColour, messageParts } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const MattermostConfig = z
  .object({
    kind: z.literal("mattermost"),
    /** https://your-mattermost/hooks/{key}: the key makes it a secret. */
    url: httpUrl,
    channel: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
  })
  .strict();
export type MattermostConfig = z.output<typeof MattermostConfig>;

export function mattermostPayload(config: MattermostConfig, n: Notification): object {
  const parts = messageParts(n);
  const payload: Record<string, unknown> = {
    attachments: [
      {
        fallback: escapeMarkdown(parts.headline),
        color: hexColour(n),
        title: escapeMarkdown(parts.headline),
        title_link: n.links.incident ?? n.links.service,
        text: parts.links.map((l) => `[${escapeMarkdown(l.text)}](${l.url})`).join(" · "),
        fields: parts.facts.map((f) => ({
          short: f.name !== "Reason",
          title: f.name,
          value: escapeMarkdown(f.value),
        })),
      },
    ],
  };
  if (config.channel) payload.channel = config.channel;
  if (config.username) payload.username = config.username;
  return payload;
}

export const mattermostChannel = defineChannel({
  kind: "mattermost",
  schema: MattermostConfig,
  secretFields: ["url"],
  send: (config, n, ctx) => postJson(config.url, mattermostPayload(config, n), ctx),
});
