import { describe, expect, it } from "vitest";
import { formatDuration, formatLatency, formatUptime, truncate } from "./format.ts";
import { spinnerFrame } from "./spinner.ts";

describe("format helpers", () => {
  it("formats durations at every scale", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(3_250)).toBe("3.2s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe("2h 03m");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3d 04h");
    expect(formatDuration(-1)).toBe("-");
  });

  it("formats latency and uptime, with - when unknown", () => {
    expect(formatLatency(null)).toBe("-");
    expect(formatLatency(1.234)).toBe("1.2ms");
    expect(formatLatency(123.6)).toBe("124ms");
    const now = new Date("2026-11-23T10:00:00Z");
    expect(formatUptime(new Date("2026-11-23T09:59:30Z"), now)).toBe("30.0s");
    expect(formatUptime("2026-11-23T08:00:00Z", now)).toBe("2h 00m");
    expect(formatUptime(undefined, now)).toBe("-");
  });

  it("truncates with an ellipsis and cycles spinner frames", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
    expect(spinnerFrame(0)).toBe(spinnerFrame(10));
    expect(spinnerFrame(1)).not.toBe(spinnerFrame(0));
  });
});
