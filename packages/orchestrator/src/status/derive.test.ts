import { describe, expect, it } from "vitest";
import { type DerivedStatus, deriveStatuses, type StatusInput } from "./derive.ts";

const running: StatusInput["runtime"] = { state: "running", restarts: 0 };
const svc = (
  state: StatusInput["checks"][number]["state"],
  dependsOn: string[] = [],
  runtime = running,
): StatusInput => ({
  dependsOn,
  runtime,
  checks: [
    {
      name: "http",
      state,
      last: { status: "healthy", latencyMs: 1, message: `is ${state}`, at: new Date(0) },
    },
  ],
});

const derive = (entries: [string, StatusInput][]): Record<string, DerivedStatus> =>
  Object.fromEntries(
    deriveStatuses(
      entries.map(([n]) => n),
      new Map(entries),
    ),
  );

describe("service status derivation", () => {
  it("points every blocked service at the root causes, not at the blocked middle", () => {
    const out = derive([
      ["redis", svc("unhealthy")],
      ["nats", svc("healthy", [], { state: "stopped", restarts: 0 })],
      ["postgres", svc("healthy")],
      ["core-api", svc("healthy", ["redis", "postgres"])],
      ["agent", svc("degraded", ["core-api", "nats"])],
      ["broken-agent", svc("unhealthy", ["core-api"])],
    ]);
    expect(out.redis).toEqual({ status: "unhealthy", reason: "http: is unhealthy", blockedBy: [] });
    expect(out.nats?.status).toBe("stopped");
    expect(out["core-api"]).toEqual({ status: "blocked", reason: "blocked by redis", blockedBy: ["redis"] });
    expect(out.agent).toEqual({
      status: "blocked",
      reason: "blocked by nats, redis",
      blockedBy: ["nats", "redis"],
    });
    // A service failing on its own shows its own failure: that is its own alarm.
    expect(out["broken-agent"]?.status).toBe("unhealthy");
  });

  it("maps lifecycle states before checks", () => {
    const crash = derive([["w", svc("healthy", [], { state: "crash-loop", restarts: 5 })]]);
    expect(crash.w).toMatchObject({ status: "unhealthy", reason: "crash loop (5 restarts)" });
    const died = derive([
      ["z", svc("healthy", [], { state: "exited", exitCode: 137, restarts: 0 })],
      ["dependent", svc("healthy", ["z"])],
    ]);
    expect(died.z).toMatchObject({ status: "unhealthy", reason: "exited unexpectedly (exit code 137)" });
    expect(died.dependent).toMatchObject({ status: "blocked", blockedBy: ["z"] });
    const none = derive([["x", { dependsOn: [], runtime: running, checks: [] }]]);
    expect(none.x).toMatchObject({ status: "healthy", reason: "running (no checks)" });
    const waiting = derive([["y", svc("unknown")]]);
    expect(waiting.y).toMatchObject({ status: "unknown", reason: "waiting for http: is unknown" });
  });

  it("re-derives part of the graph against the known status of the rest", () => {
    const inputs = new Map([["agent", svc("healthy", ["core-api"])]]);
    const out = deriveStatuses(["agent"], inputs, (name) =>
      name === "core-api" ? { status: "blocked", blockedBy: ["redis"] } : undefined,
    );
    expect(out.get("agent")).toEqual({ status: "blocked", reason: "blocked by redis", blockedBy: ["redis"] });
  });
});
