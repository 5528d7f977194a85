import { describe, expect, it } from "vitest";
import { UptimeTally } from "./uptime.ts";

describe("UptimeTally: the board's 24 h uptime moves with each result (issue 19)", () => {
  const t0 = new Date("2026-11-30T10:00:00.000Z");
  const sec = (s: number) => new Date(t0.getTime() + s * 1000);

  it("adds live results to the store's complete minutes", () => {
    const tally = new UptimeTally();
    tally.rebase(new Map([["api", { total: 1000, failed: 0 }]]), t0);
    expect(tally.get("api")).toBe(1);
    // A crash: 50 failed results after the store's part ends.
    for (let i = 0; i < 50; i++) tally.record("api", sec(i), true);
    expect(tally.get("api")).toBeCloseTo(1000 / 1050);
    expect(tally.get("other")).toBeNull();
  });

  it("after a rebase the store's counts replace the live results they now include", () => {
    const tally = new UptimeTally();
    tally.rebase(new Map(), t0);
    for (let i = 0; i < 120; i++) tally.record("api", sec(i), i % 4 === 0);
    expect(tally.get("api")).toBeCloseTo(0.75);
    // The store now holds the first minute (60 results, 15 failed); the second stays live.
    tally.rebase(new Map([["api", { total: 60, failed: 15 }]]), UptimeTally.boundary(sec(61)));
    expect(tally.get("api")).toBeCloseTo(0.75);
    // A result from before the boundary (late) is the store's to count, not counted twice.
    tally.record("api", sec(30), true);
    expect(tally.get("api")).toBeCloseTo(0.75);
  });

  it("forgets services no longer configured", () => {
    const tally = new UptimeTally();
    tally.record("gone", t0, false);
    tally.retain(["api"]);
    expect(tally.get("gone")).toBeNull();
  });

  it("puts the boundary at the start of the current minute", () => {
    expect(UptimeTally.boundary(new Date("2026-11-30T10:17:42.123Z")).toISOString()).toBe(
      "2026-11-30T10:17:00.000Z",
    );
  });
});
