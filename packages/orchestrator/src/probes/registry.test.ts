import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CHECK_KIND_DEFS, CHECK_KINDS, CheckSchema, probeFor, valuesOf } from "./registry.ts";

/** The `kind` literal a kind's schema accepts (unwrapping the lazy recursive ones). */
function literalKind(schema: z.ZodType): unknown {
  const inner = schema instanceof z.ZodLazy ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return undefined;
  const kind = inner.shape.kind;
  return kind instanceof z.ZodLiteral ? kind.value : undefined;
}

describe("check registry", () => {
  it("lists every kind once, each entry's schema accepting exactly its own kind", () => {
    expect(CHECK_KINDS).toEqual(Object.keys(CHECK_KIND_DEFS));
    expect(new Set(CHECK_KINDS).size).toBe(CHECK_KINDS.length);
    for (const kind of CHECK_KINDS) expect(literalKind(CHECK_KIND_DEFS[kind].schema)).toBe(kind);
  });

  it("derives the config union from the entries, nested kinds included", () => {
    const parsed = CheckSchema.parse({
      kind: "staged",
      stages: [{ name: "up", check: { kind: "composite", checks: [{ kind: "tcp", port: 1 }] } }],
    });
    expect(parsed.kind).toBe("staged");
    const unknown = CheckSchema.safeParse({ kind: "nope" });
    expect(unknown.success).toBe(false);
  });

  it("finds each kind's probe and values, and refuses an unknown kind", () => {
    for (const kind of CHECK_KINDS) expect(probeFor(kind)).toBe(CHECK_KIND_DEFS[kind].probe);
    expect(() => probeFor("nope" as "tcp")).toThrow('unknown check kind "nope"');
    expect(valuesOf("nope")).toEqual({});
  });
});
