import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ProbeResult } from "../types.ts";
import {
  cleanValues,
  formatValue,
  judgeValues,
  parseValueCondition,
  valueCondition,
  valueConditionFields,
} from "./values.ts";

const result = (values: Record<string, number> | undefined, status: ProbeResult["status"] = "healthy") =>
  ({ status, latencyMs: 1, message: "seen", ...(values ? { values } : {}) }) as ProbeResult;

const expectSchema = z.strictObject({
  ...valueConditionFields({
    days_remaining: { unit: "days", description: "Days until the certificate expires." },
    queue_depth: { unit: "messages", description: "Messages waiting." },
  }),
  other: z.string().optional(),
});

describe("value conditions", () => {
  it("parses every operator, with or without spaces, and rejects anything else", () => {
    expect(parseValueCondition(">= 14")).toEqual({ text: ">= 14", op: ">=", threshold: 14 });
    expect(parseValueCondition("<0.5")).toEqual({ text: "<0.5", op: "<", threshold: 0.5 });
    expect(parseValueCondition(" != -3 ")).toEqual({ text: "!= -3", op: "!=", threshold: -3 });
    for (const op of ["<", "<=", ">", ">=", "==", "!="]) expect(parseValueCondition(`${op} 1`)?.op).toBe(op);
    for (const bad of ["14", "=> 14", ">= ", ">= ten", "~ 3", ">= 1 2", "=14"]) {
      expect(parseValueCondition(bad)).toBeUndefined();
    }
  });

  it("accepts one condition or a list, and explains a bad one", () => {
    expect(valueCondition.parse(">= 14")).toEqual([{ text: ">= 14", op: ">=", threshold: 14 }]);
    expect(valueCondition.parse([">= 1", "<= 10"]).map((c) => c.op)).toEqual([">=", "<="]);
    const bad = valueCondition.safeParse("at least 14");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe(
      'invalid condition "at least 14": use a comparison like ">= 14" (operators <, <=, >, >=, ==, !=)',
    );
  });

  it("builds expect fields per value name, so a misspelt name is an unknown key", () => {
    expect(expectSchema.parse({ days_remaining: ">= 14" }).days_remaining).toHaveLength(1);
    const misspelt = expectSchema.safeParse({ days_remaning: ">= 14" });
    expect(misspelt.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["days_remaning"] });
  });
});

describe("judgeValues", () => {
  const expectation = expectSchema.parse({
    days_remaining: ">= 14",
    queue_depth: ["<= 100", "!= 0"],
    other: "x",
  });

  it("keeps a result whose values meet every condition, ignoring the kind's other expect keys", () => {
    const ok = result({ days_remaining: 30, queue_depth: 5 });
    expect(judgeValues(ok, expectation, "degraded")).toBe(ok);
    expect(judgeValues(ok, undefined, "degraded")).toBe(ok);
  });

  it("fails as the kind decides, naming each value that misses and keeping the probe's message", () => {
    const low = judgeValues(result({ days_remaining: 12.4, queue_depth: 5 }), expectation, "degraded");
    expect(low).toMatchObject({ status: "degraded", message: "days_remaining 12.4 is not >= 14 (seen)" });
    const both = judgeValues(result({ days_remaining: 2, queue_depth: 0 }), expectation, "unhealthy");
    expect(both.status).toBe("unhealthy");
    expect(both.message).toBe("days_remaining 2 is not >= 14; queue_depth 0 is not != 0 (seen)");
  });

  it("treats a value the run did not report as failing, and never improves a worse status", () => {
    const missing = judgeValues(result({ days_remaining: 30 }), expectation, "degraded");
    expect(missing.message).toContain("queue_depth not reported (expected <= 100)");
    const degraded = judgeValues(
      result({ days_remaining: 1, queue_depth: 1 }, "degraded"),
      expectation,
      "degraded",
    );
    expect(degraded.status).toBe("degraded");
    const down = result(undefined, "unhealthy");
    expect(judgeValues(down, expectation, "degraded")).toBe(down);
  });

  it("formats values with at most three decimals", () => {
    expect(formatValue(12.4)).toBe("12.4");
    expect(formatValue(1 / 3)).toBe("0.333");
    expect(formatValue(3)).toBe("3");
  });
});

describe("cleanValues", () => {
  it("keeps finite numbers under snake_case names, at most 16, and nothing else", () => {
    expect(
      cleanValues({ days_remaining: 12.4, bad: Number.NaN, "Not A Name": 1, inf: Infinity, s: "3" }),
    ).toEqual({
      days_remaining: 12.4,
    });
    expect(cleanValues({ "": 1 })).toBeUndefined();
    expect(cleanValues(undefined)).toBeUndefined();
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, i]));
    expect(Object.keys(cleanValues(many) ?? {})).toHaveLength(16);
  });
});
