/*
 * Discord webhook with an embed; mentions disabled.
 * https://discord.com/developers/docs/resources/webhook#execute-webhook
 * https://discord.com/developers/docs/resources/message#embed-object (limits: title 256, description 4096, 25 fields)
 * https://discord.com/developers/docs/resources/message#allowed-mentions-object (`parse: []` = no mentions)
 * Answers: 204 without `?wait=true`; 429 with Retry-After (and JSON retry_after); 400 with JSON errors.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { escapeMarkdown } from "../support/escape.ts";
import { httpUrl } from "../support/fields.ts";
import { jsonNumber, postJson } from "../support/http.ts";
import { clip, colourOf, messageParts } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const DiscordConfig = z
  .object({
    kind: z.literal("discord"),
    /** https://discord.com/api/webhooks/{id}/{token}: the token makes it a secret. */
    url: httpUrl,
    username: z.string().min(1).max(80).optional(),
  })
  .strict();
export type DiscordConfig = z.output<typeof DiscordConfig>;

export function discordPayload(config: DiscordConfig, n: Notification): object {
  const parts = messageParts(n);
  const payload: Record<string, unknown> = {
    content: clip(escapeMarkdown(parts.headline), 2000),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(escapeMarkdown(parts.headline), 256),
        url: n.links.incident ?? n.links.service,
        color: colourOf(n),
        timestamp: n.at,
        description: clip(parts.links.map((l) => `[${escapeMarkdown(l.text)}](${l.url})`).join(" · "), 4096),
        fields: parts.facts.map((f) => ({
          name: clip(f.name, 256),
          value: clip(escapeMarkdown(f.value), 1024),
          inline: f.name !== "Reason",
        })),
      },
    ],
  };
  if (config.username) payload.username = config.username;
  return payload;
}

export const discordChannel = defineChannel({
  kind: "discord",
  schema: DiscordConfig,
  secretFields: ["url"],
  send: (config, n, ctx) =>
    postJson(config.url, discordPayload(config, n), ctx, {
      // The body's retry_after (seconds, fractional) when a proxy dropped the header.
      retryAfterInBody: (text) => {
        const seconds = jsonNumber(text, "retry_after");
        return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
      },
    }),
});
