import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../events.ts";
import { fixture, service, tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { createProcessRunner } from "./process.ts";
import { formatLimit, withMemoryLimit } from "./process-limits.ts";
import type { ExitInfo, Runner } from "./types.ts";

const hog = fixture("../../resources/fixtures/hog.mjs");
const MiB = 1024 * 1024;

describe("process memory limits, rlimit fallback (real processes)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  });

  function setup() {
    const events: EngineEvent[] = [];
    const exits: ExitInfo[] = [];
    const runner = createProcessRunner({
      project: "t",
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      onExit: (x) => exits.push(x),
      resourceIntervalMs: 100,
      // The fallback for hosts without a writable cgroup (limits/cgroup-v1.test.ts covers cgroups).
      limiter: "rlimit",
    });
    return { events, exits, runner };
  }

  function track(runner: Runner, name: string, svc: ReturnType<typeof service>) {
    cleanups.push(async () => {
      await runner.stop(name, svc);
      await runner.close();
    });
  }

  it("a process allocating past its rlimit ends as out of memory, reported and counted", async () => {
    const { runner, events, exits } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, hog],
      env: { HOG_SINGLE: "1", HOG_STEP_MB: "16", HOG_MAX_MB: "1024" },
      resources: { memory: "256MiB" },
    });
    track(runner, "hog", svc);
    await runner.start("hog", svc);
    await until(() => exits.length > 0, 20_000);
    const reason = "exited: out of memory, limit 256 MiB (allocation refused by the memory rlimit)";
    expect(exits[0]).toMatchObject({ service: "hog", requested: false, reason });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "service.oom", limitBytes: 256 * MiB, reason }),
    );
    expect((await runner.status("hog", svc)).exitReason).toBe(reason);
    const samples = events.flatMap((e) => (e.type === "service.resources" ? [e] : []));
    expect(samples.at(-1)).toMatchObject({ memoryLimitBytes: 256 * MiB, limitEnforcement: "rlimit+sampler" });
  });

  it("kills a tree whose resident total passes the limit though each process stays under it", async () => {
    const { runner, events, exits } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, hog],
      // Parent holds 120 MiB, the child grows to 160 MiB: each under 256 MiB, the tree over it.
      env: { HOG_PARENT_MB: "120", HOG_STEP_MB: "16", HOG_MAX_MB: "160" },
      resources: { memory: "256MiB" },
    });
    track(runner, "tree", svc);
    await runner.start("tree", svc);
    await until(() => exits.length > 0, 20_000);
    const reason = "killed: out of memory, limit 256 MiB (tree over the limit, killed by Vigil)";
    expect(exits[0]).toMatchObject({ service: "tree", signal: "SIGKILL", reason });
    expect(events.filter((e) => e.type === "service.oom")).toHaveLength(1);
  });

  it("runs without a wrapper when no limit is set and names sizes in binary units", () => {
    expect(withMemoryLimit("/bin/true", ["a b"])).toEqual(["/bin/true", ["a b"]]);
    expect(withMemoryLimit("/bin/true", ["a b"], 1024 * MiB)).toEqual([
      "/bin/sh",
      ["-c", 'ulimit -d 1048576 && exec "$0" "$@"', "/bin/true", "a b"],
    ]);
    expect([formatLimit(1024 * MiB), formatLimit(128 * MiB), formatLimit(1536)]).toEqual([
      "1 GiB",
      "128 MiB",
      "1.5 KiB",
    ]);
  });
});
