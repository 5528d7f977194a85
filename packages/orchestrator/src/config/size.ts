import { z } from "zod";

const UNIT_BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses "512m", "1g", "64k", "100b" or a bare number of bytes. Returns undefined when malformed. */
export function parseSize(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isInteger(input) && input >= 0 ? input : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg])?(?:i?b)?$/i.exec(input.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNIT_BYTES[(match[2] ?? "b").toLowerCase()] ?? 1));
}

/** A zod field that accepts "512m"-style sizes or bytes and yields bytes. */
export const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: "custom", message: `invalid size ${JSON.stringify(value)} (use e.g. 256m, 1g)` });
    return z.NEVER;
  }
  return bytes;
});
