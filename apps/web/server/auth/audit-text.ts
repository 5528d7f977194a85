/*
 * Turning request input into audit text that Postgres always accepts and that stays small:
 * no NUL (text and jsonb refuse U+0000), no lone UTF-16 surrogates (jsonb refuses `\ud800`),
 * bounded lengths, bounded depth, and never a recursive walk of client data without a bound.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 controls other than tab/newline carry nothing a reader of the audit needs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Storable text of at most `max` UTF-16 units (never cutting a surrogate pair in half). */
export function cleanText(text: string, max: number): string {
  let out = text.replace(CONTROL, "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
  if (out.length > max) {
    out = out.slice(0, max);
    out = out.replace(LONE_SURROGATE, "");
    out += "…";
  }
  return out;
}

export const KEY_MAX = 64;
const VALUE_MAX = 500;
const DEPTH_MAX = 6;
const ITEMS_MAX = 50;

const CREDENTIAL = /pass(word)?|secret|token|key$/i;

/**
 * A bounded, storable copy of a signed-in user's request parameters: strings redacted and cut,
 * key names cut too, credentials by name replaced, depth and width capped.
 */
export function scrubParams(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (depth > DEPTH_MAX) return "…";
  if (typeof value === "string") return cleanText(redact(value), VALUE_MAX);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) return value.slice(0, ITEMS_MAX).map((v) => scrubParams(v, redact, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, ITEMS_MAX)) {
      const key = cleanText(k, KEY_MAX);
      // idempotencyKey is not a credential but matches /key$/; keep it, it links retries.
      out[key] = CREDENTIAL.test(k) && k !== "idempotencyKey" ? "***" : scrubParams(v, redact, depth + 1);
    }
    return out;
  }
  return null;
}

const TARGET_MAX = 200;
const TARGETS_SHOWN = 20;

/**
 * What the request was about: action targets, a service, a user, a route id. Built from strings
 * only — a nested array in `targets` is skipped, not joined (Array#join recurses without bound).
 */
export function auditTarget(input: { params: Record<string, string>; body: unknown }): string {
  const body =
    input.body !== null && typeof input.body === "object" && !Array.isArray(input.body)
      ? (input.body as Record<string, unknown>)
      : {};
  if (Array.isArray(body.targets)) {
    if (body.targets.length === 0) return "(all services)";
    const names = body.targets
      .slice(0, TARGETS_SHOWN)
      .filter((t): t is string => typeof t === "string")
      .map((t) => cleanText(t, KEY_MAX));
    const more = body.targets.length > TARGETS_SHOWN ? ` (+${body.targets.length - TARGETS_SHOWN})` : "";
    return cleanText(names.join(",") + more, TARGET_MAX);
  }
  for (const key of ["service", "username"]) {
    const value = body[key];
    if (typeof value === "string") return cleanText(value, TARGET_MAX);
  }
  return cleanText(input.params.id ?? input.params.name ?? "", TARGET_MAX);
}
