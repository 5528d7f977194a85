import type { CheckSnapshot } from "@vigil/orchestrator";
import { describe, expect, it } from "vitest";
import { toCheckView } from "./views.ts";

/** A check whose last run reported `details` (what the docker probe puts there). */
const check = (kind: string, details: Record<string, unknown> | undefined): CheckSnapshot => ({
  name: kind,
  kind,
  state: "healthy",
  circuit: "closed",
  consecutiveFailures: 0,
  consecutiveSuccesses: 1,
  last: {
    status: "healthy",
    latencyMs: 2,
    message: "container web running, health: healthy",
    at: new Date("2026-11-30T17:00:00.000Z"),
    ...(details === undefined ? {} : { details }),
  },
});

describe("a check's view", () => {
  it("carries Docker's own health of a docker check (issue 15)", () => {
    for (const health of ["healthy", "starting", "unhealthy"] as const) {
      expect(toCheckView(check("docker", { container: "web", health })).dockerHealth).toBe(health);
    }
  });

  it("shows no Docker health for a container without a healthcheck, a run without details, or another kind", () => {
    expect(toCheckView(check("docker", { container: "web", health: "none" }))).not.toHaveProperty(
      "dockerHealth",
    );
    expect(toCheckView(check("docker", { container: "web" }))).not.toHaveProperty("dockerHealth");
    expect(toCheckView(check("docker", undefined))).not.toHaveProperty("dockerHealth");
    expect(toCheckView(check("http", { health: "healthy" }))).not.toHaveProperty("dockerHealth");
  });
});
