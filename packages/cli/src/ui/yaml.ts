/*
 * A small YAML writer for `vigil config`. The CLI may not depend on a YAML library of its own and
 * the output only has to be valid, readable YAML: any string that could be misread (numbers,
 * booleans, special characters) is written double-quoted, JSON-style, which YAML accepts as is.
 */

const PLAIN = /^[A-Za-z_/.][\w ./@+=,:()-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  const ambiguous = text.endsWith(" ") || text.endsWith(":") || text.includes(": ") || text.includes(" #");
  if (PLAIN.test(text) && !RESERVED.test(text) && !ambiguous) return text;
  return JSON.stringify(text);
}

function key(name: string): string {
  return /^[\w.-]+$/.test(name) && !RESERVED.test(name) ? name : JSON.stringify(name);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

function inline(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length === 0) return "[]";
  if (isRecord(value) && Object.keys(value).length === 0) return "{}";
  if (!Array.isArray(value) && !isRecord(value)) return scalar(value);
  return undefined;
}

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const simple = inline(item);
      if (simple !== undefined) return [`${indent}- ${simple}`];
      // The first line of a nested block sits right after the dash.
      const nested = lines(item, `${indent}  `);
      const first = (nested[0] ?? "").slice(indent.length + 2);
      return [`${indent}- ${first}`, ...nested.slice(1)];
    });
  }
  if (isRecord(value)) {
    return Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .flatMap(([name, child]) => {
        const simple = inline(child);
        if (simple !== undefined) return [`${indent}${key(name)}: ${simple}`];
        return [`${indent}${key(name)}:`, ...lines(child, `${indent}  `)];
      });
  }
  return [`${indent}${scalar(value)}`];
}

export function toYaml(value: unknown): string {
  const simple = inline(value);
  if (simple !== undefined) return `${simple}\n`;
  return `${lines(value, "").join("\n")}\n`;
}
