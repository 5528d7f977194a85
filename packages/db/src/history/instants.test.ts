import { describe, expect, it } from "vitest";
import { SubMillis } from "./instants.ts";

describe("SubMillis", () => {
  /** Offsets given to `ids` of api/health, in turn, at millisecond `ms`. */
  const offsets = (sub: SubMillis, ms: number, ids: string[]) =>
    ids.map((id) => sub.next("api", "health", ms, id));

  it("gives 0 to the first result of a millisecond and the next offsets to later ones", () => {
    const sub = new SubMillis();
    expect(offsets(sub, 1000, ["a", "b", "c"])).toEqual([0, 1, 2]);
    // Another check's results do not share its offsets.
    expect([sub.next("api", "db", 1000, "d"), sub.next("web", "health", 1000, "e")]).toEqual([0, 0]);
  });

  it("gives a result recorded again (a retried batch) the offset it had", () => {
    const sub = new SubMillis();
    expect(offsets(sub, 1000, ["a", "b", "b", "a"])).toEqual([0, 1, 1, 0]);
  });

  it("starts again at 0 in a new millisecond of the same check", () => {
    const sub = new SubMillis();
    expect(offsets(sub, 1000, ["a", "b"])).toEqual([0, 1]);
    expect(offsets(sub, 1001, ["c", "d"])).toEqual([0, 1]);
    expect(offsets(sub, 1002, ["b"])).toEqual([0]);
  });

  it("caps the offset at 999 µs", () => {
    const sub = new SubMillis();
    const ids = Array.from({ length: 1200 }, (_, i) => `id-${i}`);
    expect(offsets(sub, 5, ids).at(-1)).toBe(999);
  });
});
