import { describe, expect, it } from "vitest";
import { createPalette } from "./color.ts";
import { detailLines } from "./details.ts";

const plain = createPalette(false);

describe("health --deep details", () => {
  it("shows a health document's dependencies and resources", () => {
    const lines = detailLines(
      {
        status: "healthy",
        latencyMs: 4,
        message: "HTTP 200",
        details: {
          httpStatus: 200,
          health: {
            status: "healthy",
            mapped: "healthy",
            failing: [],
            dependencies: { redis: { status: "healthy", latency_ms: 1 }, nats: { status: "down" } },
            resources: { memory_rss_bytes: 48_037_888, cpu_user_us: 54740 },
          },
        },
      },
      plain,
    );
    expect(lines).toEqual([
      "http status: 200",
      "health document: healthy",
      "dependencies: redis healthy 1ms, nats down",
      "resources: memory_rss_bytes=45.8 MiB, cpu_user_us=54740",
    ]);
  });

  it("shows a staged ladder with the failed stage and those not reached", () => {
    const lines = detailLines(
      {
        status: "unhealthy",
        latencyMs: 30,
        message: 'stage 3/4 "API responsive" failed: connection refused',
        details: {
          stages: [
            { name: "process started", status: "healthy", latencyMs: 2, message: "exit 0" },
            { name: "port listening", status: "healthy", latencyMs: 1, message: "connected" },
            { name: "API responsive", status: "unhealthy", latencyMs: 20, message: "connection refused" },
          ],
        },
        stage: { reached: "port listening", index: 2, total: 4, failedAt: "API responsive" },
      },
      plain,
      ["process started", "port listening", "API responsive", "model loaded"],
    );
    expect(lines).toEqual([
      "stages:",
      "  1/4 ✓ process started  2ms",
      "  2/4 ✓ port listening  1ms",
      "  3/4 ✗ API responsive  20ms  connection refused",
      "  4/4 · model loaded  not reached",
    ]);
  });
});
