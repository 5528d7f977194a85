/*
 * A tiny, safe evaluator for conditions like `$.status == "healthy"`, `$.checks.db.ok == true`,
 * `$.items[0].n > 3` or `$["content-type"] != null`. It parses; it never evaluates code.
 * A bare path is true when the value exists and is truthy.
 */

type Json = unknown;
type Op = "==" | "!=" | ">=" | "<=" | ">" | "<";

export interface Condition {
  text: string;
  path: (string | number)[];
  op?: Op;
  expected?: Json;
}

export function parseCondition(text: string): Condition {
  const source = text.trim();
  if (!source.startsWith("$")) throw new Error(`condition "${text}": must start with $`);
  const path: (string | number)[] = [];
  let i = 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ".") {
      const match = /^[A-Za-z_][\w-]*/.exec(source.slice(i + 1));
      if (!match) throw new Error(`condition "${text}": expected a field name at column ${i + 2}`);
      path.push(match[0]);
      i += 1 + match[0].length;
    } else if (ch === "[") {
      const close = source.indexOf("]", i);
      if (close < 0) throw new Error(`condition "${text}": missing ]`);
      const inner = source.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) path.push(Number(inner));
      else path.push(parseLiteral(inner, text) as string);
      i = close + 1;
    } else break;
  }
  const rest = source.slice(i).trim();
  if (rest === "") return { text, path };
  const opMatch = /^(==|!=|>=|<=|>|<)/.exec(rest);
  if (!opMatch) throw new Error(`condition "${text}": expected an operator (==, !=, >, >=, <, <=)`);
  const op = opMatch[1] as Op;
  const expected = parseLiteral(rest.slice(op.length).trim(), text);
  return { text, path, op, expected };
}

function parseLiteral(raw: string, text: string): Json {
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1);
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`condition "${text}": cannot read value ${raw} (use "text", numbers, true, false, null)`);
  }
}

export function lookup(doc: Json, path: (string | number)[]): { found: boolean; value: Json } {
  let value: Json = doc;
  for (const key of path) {
    if (value === null || typeof value !== "object") return { found: false, value: undefined };
    if (typeof key === "number") {
      if (!Array.isArray(value) || key >= value.length) return { found: false, value: undefined };
      value = value[key];
    } else {
      if (!Object.hasOwn(value, key)) return { found: false, value: undefined };
      value = (value as Record<string, Json>)[key];
    }
  }
  return { found: true, value };
}

/** Evaluates a condition; returns null when it holds, else why not. */
export function checkCondition(doc: Json, condition: Condition): string | null {
  const { found, value } = lookup(doc, condition.path);
  const shown = found ? JSON.stringify(value) : "missing";
  if (condition.op === undefined) return found && value ? null : `${condition.text}: got ${shown}`;
  const holds = compare(value, condition.op, condition.expected, found);
  return holds ? null : `${condition.text}: got ${shown}`;
}

function compare(actual: Json, op: Op, expected: Json, found: boolean): boolean {
  switch (op) {
    case "==":
      return found && deepEqual(actual, expected);
    case "!=":
      return !found || !deepEqual(actual, expected);
    default: {
      const ordered =
        (typeof actual === "number" && typeof expected === "number") ||
        (typeof actual === "string" && typeof expected === "string");
      if (!found || !ordered) return false;
      const a = actual as number | string;
      const b = expected as number | string;
      return op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
    }
  }
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
