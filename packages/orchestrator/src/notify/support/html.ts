import type { Notification } from "../types.ts";
import { escapeHtml } from "./escape.ts";
import { clip, messageParts } from "./message.ts";

/**
 * The message as a small HTML fragment with every text escaped; the tags used (<b>, <a>, <br>)
 * are in the subset Telegram, Matrix and email all render. `maxText` bounds each text piece for
 * providers with a message limit.
 */
export function htmlFragment(
  n: Notification,
  options: { lineBreak?: string; maxText?: number } = {},
): string {
  const { lineBreak = "<br>", maxText = Number.POSITIVE_INFINITY } = options;
  const parts = messageParts(n);
  // Cut the text before escaping, so a cut never splits an entity or a tag.
  const text = (value: string) => escapeHtml(clip(value, maxText));
  return [
    `<b>${text(parts.headline)}</b>`,
    ...parts.facts.map((f) => `<b>${escapeHtml(f.name)}:</b> ${text(f.value)}`),
    parts.links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a>`).join(" · "),
  ].join(lineBreak);
}
