/*
 * Pushover Message API: POST /1/messages.json (form-encoded) with token, user, priority, url.
 * https://pushover.net/api (limits: message 1024, title 250, url 512, url_title 100 characters;
 * html=1 enables <b>, <i>, <u>, <font>, <a>; priority 2 needs retry ≥ 30 s and expire ≤ 10800 s)
 * Answers: 200 {"status":1,"request":…}; 4xx {"status":0,"errors":[…]}; 429 when over the monthly quota; 5xx.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { escapeHtml } from "../support/escape.ts";
import { baseUrl } from "../support/fields.ts";
import { sendHttp } from "../support/http.ts";
import { clip, messageParts, urgency } from "../support/message.ts";
import type { Notification } from "../types.ts";

export const PushoverConfig = z
  .object({
    kind: z.literal("pushover"),
    /** Application API token. */
    token: z.string().min(1),
    /** User or group key. */
    user: z.string().min(1),
    device: z.string().min(1).optional(),
    /** Use priority 2 (repeat until acknowledged in the app) for critical triggers. */
    emergency: z.boolean().default(false),
    api_url: baseUrl("https://api.pushover.net"),
  })
  .strict();
export type PushoverConfig = z.output<typeof PushoverConfig>;

function priority(config: PushoverConfig, n: Notification): number {
  const level = urgency(n);
  if (level === 5) return config.emergency ? 2 : 1;
  return level === 4 ? 0 : -1;
}

/** The message in Pushover's HTML subset; the 1024-character cut is on the text, before escaping. */
function html(n: Notification): string {
  const facts = messageParts(n).facts.map(
    (f) => `<b>${escapeHtml(f.name)}:</b> ${escapeHtml(clip(f.value, 300))}`,
  );
  let out = "";
  for (const line of facts) {
    if (out.length + line.length + 1 > 1024) break;
    out = out ? `${out}\n${line}` : line;
  }
  return out;
}

export const pushoverChannel = defineChannel({
  kind: "pushover",
  schema: PushoverConfig,
  secretFields: ["token", "user"],
  send(config, n, ctx) {
    const level = priority(config, n);
    const form = new URLSearchParams({
      token: config.token,
      user: config.user,
      title: clip(messageParts(n).headline, 250),
      message: html(n),
      html: "1",
      priority: String(level),
      url: clip(n.links.incident ?? n.links.service, 512),
      url_title: n.links.incident ? "Open incident" : "Open service",
      timestamp: String(Math.floor(Date.parse(n.at) / 1000)),
    });
    if (level === 2) {
      form.set("retry", "60");
      form.set("expire", "3600");
    }
    if (config.device) form.set("device", config.device);
    return sendHttp(
      {
        url: `${config.api_url}/1/messages.json`,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      },
      ctx,
    );
  },
});
