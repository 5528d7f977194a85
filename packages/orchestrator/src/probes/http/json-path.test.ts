import { describe, expect, it } from "vitest";
import { checkCondition, parseCondition } from "./json-path.ts";

const doc = { status: "healthy", checks: { db: { ok: true } }, items: [{ n: 5 }], "content-type": "x" };
const holds = (text: string) => checkCondition(doc, parseCondition(text)) === null;

describe("json path conditions", () => {
  it("evaluates comparisons on nested paths and array indexes", () => {
    expect(holds('$.status == "healthy"')).toBe(true);
    expect(holds("$.checks.db.ok == true")).toBe(true);
    expect(holds("$.items[0].n > 3")).toBe(true);
    expect(holds("$.items[0].n <= 4")).toBe(false);
    expect(holds('$["content-type"] != null')).toBe(true);
    expect(holds("$.status == 'degraded'")).toBe(false);
    expect(holds("$.checks.db")).toBe(true);
    expect(holds("$.missing")).toBe(false);
  });

  it("explains a failing condition with the value it saw", () => {
    expect(checkCondition(doc, parseCondition('$.status == "down"'))).toBe(
      '$.status == "down": got "healthy"',
    );
    expect(checkCondition(doc, parseCondition("$.items[3].n > 1"))).toBe("$.items[3].n > 1: got missing");
  });

  it("rejects what it cannot parse instead of evaluating it", () => {
    expect(() => parseCondition("process.exit()")).toThrow(/must start with \$/);
    expect(() => parseCondition("$.a ~= 3")).toThrow(/expected an operator/);
    expect(() => parseCondition("$.a == healthy")).toThrow(/cannot read value/);
  });
});
