import type { Notification } from "../types.ts";

/*
 * The webhook's optional body template: `{{field.path}}` placeholders over the Notification and
 * nothing else (no expressions, no code). A string value is inserted JSON-escaped without quotes,
 * so it belongs inside a JSON string: `{"text": "{{title}}"}`; any other value (number, array,
 * object) is inserted as JSON: `{"services": {{affected}}}`.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g;

/** Every placeholder path in a template, for validation at config load. */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}

export function renderTemplate(template: string, notification: Notification): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const value = lookup(notification, path);
    if (value === undefined) return "";
    const json = JSON.stringify(value);
    return typeof value === "string" ? json.slice(1, -1) : json;
  });
}

function lookup(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The paths a template may use: the Notification's fields (optional ones render as ""). */
export const TEMPLATE_FIELDS: readonly string[] = [
  "schema",
  "id",
  "incidentKey",
  "event",
  "severity",
  "title",
  "reason",
  "rootCause",
  "rootCause.service",
  "rootCause.status",
  "rootCause.group",
  "affected",
  "at",
  "acknowledgedBy",
  "links",
  "links.service",
  "links.incident",
  "links.restart",
  "links.rollback",
];
