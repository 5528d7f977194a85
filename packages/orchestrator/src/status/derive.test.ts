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
    // A signal is never an exit code; an adopted process's exit is not guessed.
    const killed = derive([
      ["k", svc("healthy", [], { state: "exited", exitCode: null, exitSignal: "SIGKILL", restarts: 0 })],
    ]);
    expect(killed.k?.reason).toBe("killed by signal 9 (SIGKILL)");
    const gone = derive([
      ["g", svc("healthy", [], { state: "exited", exitCode: null, exitUnknown: true, restarts: 0 })],
    ]);
    expect(gone.g?.reason).toBe("process gone; exit status unknown (Vigil was not its parent)");
    const looping = derive([
      ["l", svc("healthy", [], { state: "crash-loop", exitSignal: "SIGSEGV", restarts: 3 })],
    ]);
    expect(looping.l?.reason).toBe("crash loop (3 restarts; last: killed by signal 11 (SIGSEGV))");
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

  it("a docker check that cannot reach its engine makes the service host-unreachable, its dependents blocked by it", () => {
    const unreachable = (state: "unhealthy" | "unknown" | "healthy"): StatusInput => ({
      dependsOn: [],
      // The last run's exit facts are stale once the engine is out of sight: not a crash.
      runtime: { state: "exited", restarts: 2, exitCode: 137 },
      host: "edge-1",
      checks: [
        {
          name: "docker",
          state,
          last: {
            status: "unhealthy",
            latencyMs: 1,
            message:
              "Docker host unreachable (connect ECONNREFUSED 127.0.0.1:41299): container x not observed",
            details: { hostUnreachable: true, engineError: "connect ECONNREFUSED 127.0.0.1:41299" },
            at: new Date(0),
          },
        },
      ],
    });
    const out = derive([
      ["web", unreachable("unhealthy")],
      ["api", svc("healthy", ["web"])],
    ]);
    expect(out.web).toEqual({
      status: "host-unreachable",
      reason: "Docker host edge-1 unreachable (connect ECONNREFUSED 127.0.0.1:41299)",
      blockedBy: [],
    });
    expect(out.api).toMatchObject({ status: "blocked", blockedBy: ["web"] });
    // Before the check's failure threshold the state is unknown: already said as the host's fault.
    expect(derive([["web", unreachable("unknown")]]).web?.status).toBe("host-unreachable");
    // A check that passes again (the host answers) ends it; a stopped service stays stopped.
    expect(derive([["web", unreachable("healthy")]]).web?.status).not.toBe("host-unreachable");
    const stopped = { ...unreachable("unhealthy"), runtime: { state: "stopped" as const, restarts: 0 } };
    expect(derive([["web", stopped]]).web?.status).toBe("stopped");
    // The local engine has no `hosts:` name.
    const local = { ...unreachable("unhealthy"), host: undefined };
    expect(derive([["web", local]]).web?.reason).toMatch(/^Docker host local unreachable/);
  });

  it("an engine that does not answer its pings makes a service host-unreachable without any check", () => {
    const quiet: StatusInput = {
      dependsOn: [],
      runtime: { state: "running", restarts: 0, hostUnreachable: "connect EHOSTUNREACH 10.0.0.5:2376" },
      host: "edge",
      checks: [],
    };
    expect(derive([["quiet", quiet]]).quiet).toEqual({
      status: "host-unreachable",
      reason: "Docker host edge unreachable (connect EHOSTUNREACH 10.0.0.5:2376)",
      blockedBy: [],
    });
    const back = { ...quiet, runtime: { ...quiet.runtime, hostUnreachable: undefined } };
    expect(derive([["quiet", back]]).quiet?.status).toBe("healthy");
  });
});
