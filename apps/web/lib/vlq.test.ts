import { describe, expect, it } from "vitest";
import { VlqReader, VlqWriter, WireError } from "./vlq";

describe("base64 VLQ", () => {
  const edges = [0, 1, 31, 32, 1023, 1024, 32_767, 32_768, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];

  it("reads back every unsigned and signed value it wrote, in order", () => {
    // Zigzag doubles the magnitude: signed values are safe up to 2^52.
    const signed = edges.filter((n) => n > 0 && n < 2 ** 52);
    const w = new VlqWriter();
    for (const n of edges) w.uint(n);
    for (const n of signed) w.int(n).int(-n);
    const r = new VlqReader(w.toString(), "test");
    for (const n of edges) expect(r.uint()).toBe(n);
    for (const n of signed) expect([r.int(), r.int()]).toEqual([n, -n]);
    expect(r.done).toBe(true);
  });

  it("spends one character below 32, two below 1024", () => {
    expect(new VlqWriter().uint(31).toString()).toHaveLength(1);
    expect(new VlqWriter().uint(32).toString()).toHaveLength(2);
    expect(new VlqWriter().uint(1023).toString()).toHaveLength(2);
    expect(new VlqWriter().uint(1024).toString()).toHaveLength(3);
  });

  it("refuses what it cannot represent exactly", () => {
    const w = new VlqWriter();
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => w.uint(bad)).toThrow(RangeError);
    expect(() => w.digit(64)).toThrow(RangeError);
  });

  it("names the stream when the digits do not add up", () => {
    expect(() => new VlqReader("g", "services.since").uint()).toThrow(/services.since: ended early/);
    expect(() => new VlqReader("A!", "x").uint() + new VlqReader("!", "x").uint()).toThrow(WireError);
    expect(() => new VlqReader("/".repeat(12), "x").uint()).toThrow(/too large/);
    const left = new VlqReader("AB", "checks.name");
    left.uint();
    expect(() => left.end()).toThrow(/checks.name: 1 digits left over/);
  });
});
