import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { fixture, tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, TEST_IMAGE_V1 } from "../testing/docker.ts";
import { waitFor } from "../testing/wait.ts";
import { createEngine, type Engine } from "./engine.ts";

describe("engine: a process over its memory limit (real process)", () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close({ stopServices: true }).catch(() => {});
  });

  it("shows memory growing, then the service unhealthy with the out-of-memory reason (rlimit fallback)", async () => {
    const events: EngineEvent[] = [];
    const config = ConfigSchema.parse({
      project: `oom${process.pid}`,
      services: {
        hog: {
          kind: "process",
          command: [process.execPath, fixture("../../resources/fixtures/hog.mjs")],
          env: { HOG_SINGLE: "1", HOG_STEP_MB: "16", HOG_MAX_MB: "1024" },
          resources: { memory: "192MiB" },
          restart: "no",
        },
      },
    });
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      monitorChecks: false,
      resourceIntervalMs: 100,
      limiter: "rlimit",
    });
    engines.push(engine);
    await engine.ready;
    await engine.start(["hog"], { requestedBy: "test" }).done;
    const reason = "exited: out of memory, limit 192 MiB (allocation refused by the memory rlimit)";
    await waitFor(() => engine.snapshot().find((s) => s.name === "hog")?.reason === reason, 20_000);
    expect(engine.snapshot()[0]).toMatchObject({ status: "unhealthy", reason });
    const memory = events.flatMap((e) => (e.type === "service.resources" ? [e.memoryBytes] : []));
    expect(memory.length).toBeGreaterThan(1);
    expect(Math.max(...memory)).toBeGreaterThan(memory[0] ?? 0);
  });

  // Needs a writable cgroup v1 hierarchy (this machine as root; limits/cgroup-v1.test.ts).
  it("under a cgroup: killed by the kernel, the reason on the board and the end counted", async () => {
    const config = ConfigSchema.parse({
      project: `oomcg${process.pid}`,
      services: {
        hog: {
          kind: "process",
          command: [process.execPath, fixture("../../resources/fixtures/hog.mjs")],
          env: { HOG_SINGLE: "1", HOG_STEP_MB: "16", HOG_MAX_MB: "1024" },
          resources: { memory: "96MiB", cpus: 0.5 },
          restart: "no",
        },
      },
    });
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: () => {},
      monitorChecks: false,
      resourceIntervalMs: 100,
      limiter: "cgroup-v1",
    });
    engines.push(engine);
    await engine.ready;
    await engine.start(["hog"], { requestedBy: "test" }).done;
    const reason = "killed: out of memory, limit 96 MiB (kernel OOM killer, cgroup v1)";
    await waitFor(() => engine.snapshot().find((s) => s.name === "hog")?.reason === reason, 20_000);
    expect(engine.snapshot()[0]).toMatchObject({
      status: "unhealthy",
      reason,
      runtime: {
        oomKills: 1,
        limits: { enforcement: "cgroup v1", cpus: 0.5, memoryBytes: 96 * 1024 * 1024 },
      },
    });
  });

  it.skipIf(!dockerAvailable())("counts a container the kernel OOM-killed (real Docker)", async () => {
    const project = `oomdk${process.pid}`;
    const config = ConfigSchema.parse({
      project,
      services: {
        hog: {
          kind: "docker",
          image: TEST_IMAGE_V1,
          // A shell variable of 60 MB in a 16 MiB container: the kernel kills it.
          command: ["sh", "-c", 'sleep 1; x=$(head -c 60000000 /dev/zero | tr "\\0" a); echo done'],
          resources: { memory: "16MiB" },
          restart: "no",
        },
      },
    });
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: () => {},
      monitorChecks: false,
    });
    engines.push(engine);
    try {
      await engine.ready;
      await engine.start(["hog"], { requestedBy: "test" }).done;
      const reason = "killed: out of memory, limit 16 MiB (kernel OOM killer)";
      await waitFor(() => engine.snapshot().find((s) => s.name === "hog")?.reason === reason, 20_000);
      expect(engine.snapshot()[0]).toMatchObject({ status: "unhealthy", reason, runtime: { oomKills: 1 } });
    } finally {
      try {
        execFileSync("docker", ["rm", "-f", `vigil-${project}-hog`], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
  });
});
