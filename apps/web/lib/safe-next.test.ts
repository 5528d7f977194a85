import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next.ts";

describe("safeNext: only same-origin paths survive (issue 19, finding 2)", () => {
  const offsite = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r/evil.example/",
    "/\\/evil.example/",
    "/\t\\evil.example",
    "/.//evil.example/",
    "/%2e//evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "a",
    "",
  ];
  it.each(offsite)("refuses %j", (value) => {
    expect(safeNext(value)).toBe("/");
  });

  const kept: [string, string][] = [
    ["/", "/"],
    ["/services/db?range=1h", "/services/db?range=1h"],
    [
      "/services/db?from=2026-01-01T00:00:00%2B00:00#logs",
      "/services/db?from=2026-01-01T00:00:00%2B00:00#logs",
    ],
    ["/events?service=a%2Fb", "/events?service=a%2Fb"],
  ];
  it.each(kept)("keeps %j", (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it("takes the first of repeated parameters and ignores non-strings", () => {
    expect(safeNext(["/graph", "//evil.example"])).toBe("/graph");
    expect(safeNext(["//evil.example", "/graph"])).toBe("/");
    expect(safeNext(undefined)).toBe("/");
    expect(safeNext([])).toBe("/");
    expect(safeNext(42)).toBe("/");
  });
});
