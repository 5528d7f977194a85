/*
 * Telegram Bot API sendMessage with parse_mode HTML.
 * https://core.telegram.org/bots/api#sendmessage
 * https://core.telegram.org/bots/api#html-style (only <, > and & need escaping; tags: b, a href, …)
 * Answers: 200 {"ok":true,"result":{…}}; 400/401/403 {"ok":false,"error_code","description"};
 * 429 {"ok":false,"parameters":{"retry_after":<seconds>}}.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { baseUrl } from "../support/fields.ts";
import { htmlFragment } from "../support/html.ts";
import { jsonNumber, postJson } from "../support/http.ts";

export const TelegramConfig = z
  .object({
    kind: z.literal("telegram"),
    /** The token goes in the URL path (`/bot<token>/sendMessage`): a secret. */
    bot_token: z.string().regex(/^\d+:[\w-]+$/, "expected a bot token like 123456:ABC-DEF…"),
    chat_id: z.union([z.string().min(1), z.number().int()]),
    /** Forum topic to post in. */
    message_thread_id: z.number().int().optional(),
    api_url: baseUrl("https://api.telegram.org"),
  })
  .strict();
export type TelegramConfig = z.output<typeof TelegramConfig>;

export const telegramChannel = defineChannel({
  kind: "telegram",
  schema: TelegramConfig,
  secretFields: ["bot_token"],
  send(config, n, ctx) {
    const body: Record<string, unknown> = {
      chat_id: config.chat_id,
      // Telegram allows 4096 characters after entity parsing: at most 7 pieces of 500 plus labels and links.
      text: htmlFragment(n, { lineBreak: "\n", maxText: 500 }),
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    };
    if (config.message_thread_id !== undefined) body.message_thread_id = config.message_thread_id;
    return postJson(`${config.api_url}/bot${config.bot_token}/sendMessage`, body, ctx, {
      retryAfterInBody: (text) => {
        const seconds = jsonNumber(text, "parameters", "retry_after");
        return seconds === undefined ? undefined : seconds * 1000;
      },
    });
  },
});
