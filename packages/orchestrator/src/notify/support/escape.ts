/*
 * Escaping of plain text (service names, reasons, log lines) for each target's markup. A name like
 * `<!channel>` or `@everyone` must arrive as text, never as a mention or markup.
 */

/** HTML text and attribute values (email, Telegram parse_mode HTML, Matrix formatted_body). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Slack mrkdwn: Slack documents escaping exactly `&`, `<` and `>` (the control characters of links
 * and mentions such as `<!channel>`). Formatting characters are neutralised by putting the text in
 * a context where they do not apply (we show untrusted text in `plain_text` objects where we can).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Zero-width space: breaks `@everyone` / `@channel` into text that no chat app treats as a mention. */
const ZWSP = "\u200b";

/**
 * Markdown as rendered by Discord and Mattermost: every formatting character backslash-escaped,
 * and `@` followed by a zero-width space so `@everyone`, `@here`, `@channel`, `@all` never ping
 * (Discord's allowed_mentions is the second lock on that door).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~|>#[\]()!<-]/g, "\\$&").replace(/@/g, `@${ZWSP}`);
}

/**
 * Adaptive Card TextBlock / FactSet text: a Markdown subset (bold, italic, links, lists). Escape
 * only that subset: the renderers escape HTML themselves (an `&lt;` would show literally), and a
 * backslash before a character the subset does not use may show literally too.
 * https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features
 */
export function escapeAdaptiveCard(text: string): string {
  return text
    .replace(/[\\*_[\]]/g, "\\$&")
    .replace(/^(\s*)([-+])(\s)/gm, "$1\\$2$3")
    .replace(/^(\s*)(\d+)\.(\s)/gm, "$1$2\\.$3");
}
