import { z } from "zod";
import type { ProbeStatus } from "../../status/model.ts";
import type { ProbeResult, ValueInfo } from "../types.ts";

/*
 * Conditions on the values a probe reports, written in a kind's `expect` map:
 *   expect: { days_remaining: ">= 14", queue_depth: ["<= 100", "!= 0"] }
 * Parsed once at config load (a bad one is a config error with its file:line:col), applied to
 * each result by judgeValues.
 */

/** A value name: snake_case, as in `days_remaining`; also a Prometheus label value and a chart title. */
export const VALUE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Values kept per result: a kind reports a handful, never a map of thousands. */
export const MAX_VALUES = 16;

/** The values worth passing on: finite numbers under well-formed names, at most MAX_VALUES; undefined if none. */
export function cleanValues(
  values: Readonly<Record<string, unknown>> | undefined,
): Record<string, number> | undefined {
  if (values === undefined) return undefined;
  const out: Record<string, number> = {};
  let n = 0;
  for (const [name, value] of Object.entries(values)) {
    if (n >= MAX_VALUES) break;
    if (!VALUE_NAME.test(name) || typeof value !== "number" || !Number.isFinite(value)) continue;
    out[name] = value;
    n++;
  }
  return n > 0 ? out : undefined;
}

export const VALUE_OPERATORS = ["<=", ">=", "==", "!=", "<", ">"] as const;
export type ValueOperator = (typeof VALUE_OPERATORS)[number];

export interface ValueCondition {
  /** As written, for messages: ">= 14". */
  text: string;
  op: ValueOperator;
  threshold: number;
}

const CONDITION = /^\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;
const HINT = 'use a comparison like ">= 14" (operators <, <=, >, >=, ==, !=)';

/** Reads ">= 14" into a condition; undefined when it is not one. */
export function parseValueCondition(text: string): ValueCondition | undefined {
  const match = CONDITION.exec(text);
  if (!match) return undefined;
  const threshold = Number(match[2]);
  if (!Number.isFinite(threshold)) return undefined;
  return { text: text.trim(), op: match[1] as ValueOperator, threshold };
}

// The pattern is for editors (JSON Schema); parsing happens in the transform, for one clear message.
const conditionText = z.string().meta({ pattern: CONDITION.source });

/** One condition or a list that must all hold; parses to a list either way. */
export const valueCondition = z
  .union([conditionText, z.array(conditionText).min(1)])
  .transform((input, ctx) => {
    const texts = typeof input === "string" ? [input] : input;
    const parsed: ValueCondition[] = [];
    for (const [i, text] of texts.entries()) {
      const condition = parseValueCondition(text);
      if (condition === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `invalid condition ${JSON.stringify(text)}: ${HINT}`,
          path: typeof input === "string" ? [] : [i],
        });
        return z.NEVER;
      }
      parsed.push(condition);
    }
    return parsed;
  })
  .describe(`A condition on the value, e.g. ">= 14", or a list that must all hold (${HINT}).`);

/** Parsed conditions by value name: what `valueConditionFields` yields after parsing. */
export type ValueConditions = Partial<Record<string, readonly ValueCondition[]>>;

const isConditionList = (entry: unknown): entry is readonly ValueCondition[] =>
  Array.isArray(entry) &&
  entry.every((c) => typeof c === "object" && c !== null && "op" in c && "threshold" in c && "text" in c);

/**
 * The `expect` fields for a kind's values: one optional condition per value name, described from
 * the registry entry, so editors list them and a misspelt name is an unknown-key error. Spread the
 * result into the kind's `expect` object next to its other expectations.
 */
export function valueConditionFields<N extends string>(
  values: Readonly<Record<N, ValueInfo>>,
): { [K in N]: z.ZodOptional<typeof valueCondition> } {
  const fields: Partial<Record<N, z.ZodOptional<typeof valueCondition>>> = {};
  for (const name of Object.keys(values) as N[]) {
    const info = values[name];
    const unit = info.unit ? ` (${info.unit})` : "";
    fields[name] = valueCondition.describe(`Condition on ${name}${unit}: ${info.description}`).optional();
  }
  return fields as { [K in N]: z.ZodOptional<typeof valueCondition> };
}

export function holds(value: number, condition: ValueCondition): boolean {
  const t = condition.threshold;
  switch (condition.op) {
    case "<":
      return value < t;
    case "<=":
      return value <= t;
    case ">":
      return value > t;
    case ">=":
      return value >= t;
    case "==":
      return value === t;
    case "!=":
      return value !== t;
  }
}

const RANK: Record<ProbeStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/**
 * Applies value conditions (a kind's `expect`, or just its value fields) to a result. A result that already failed is returned as it is (its own
 * message says why); otherwise every condition that does not hold, or names a value the run did
 * not report, turns the result `failAs` (the kind decides: an expiring certificate is degraded, a
 * full queue may be unhealthy) with a message naming the value, e.g.
 * `days_remaining 12.4 is not >= 14`. Conditions are checked in the order written.
 */
export function judgeValues(
  result: ProbeResult,
  conditions: Readonly<Record<string, unknown>> | undefined,
  failAs: Exclude<ProbeStatus, "healthy">,
): ProbeResult {
  if (conditions === undefined || result.status === "unhealthy") return result;
  const failures: string[] = [];
  // A kind's whole `expect` may be passed: entries that are not value conditions are its own business.
  for (const [name, list] of Object.entries(conditions)) {
    if (!isConditionList(list)) continue;
    const value = result.values?.[name];
    for (const condition of list) {
      if (value === undefined) failures.push(`${name} not reported (expected ${condition.text})`);
      else if (!holds(value, condition))
        failures.push(`${name} ${formatValue(value)} is not ${condition.text}`);
    }
  }
  if (failures.length === 0) return result;
  const status = RANK[failAs] > RANK[result.status] ? failAs : result.status;
  return { ...result, status, message: `${failures.join("; ")} (${result.message})` };
}

/** Up to 3 decimals, no trailing zeros: 12.4, 0.333, 3. */
export function formatValue(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
