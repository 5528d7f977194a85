import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ServiceSchema } from "../config/schema.ts";
import { dockerClient } from "../docker/client.ts";
import type { EngineEvent } from "../events.ts";
import { tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, TEST_IMAGE_V1 } from "../testing/docker.ts";
import { createDockerRunner } from "./docker.ts";
import { containerUsage, sampleGate } from "./docker-stats.ts";
import type { ExitInfo } from "./types.ts";

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

describe.skipIf(!dockerAvailable())("container usage from real Docker stats", () => {
  const names: string[] = [];
  afterEach(() => {
    for (const name of names.splice(0)) {
      try {
        docker("rm", "-f", name);
      } catch {
        // already gone
      }
    }
  });

  it("reads the memory limit, PIDs and block I/O of a limited container", async () => {
    const name = `vigil-stats-${process.pid}`;
    names.push(name);
    docker(
      "run",
      "-d",
      "--name",
      name,
      "--network",
      "host",
      "--memory",
      "64m",
      TEST_IMAGE_V1,
      "sh",
      "-c",
      "sleep 60 & sleep 60",
    );
    const container = dockerClient().getContainer(name);
    const sample = await container.stats({ stream: false });
    const usage = containerUsage(sample);
    expect(usage).toMatchObject({ memoryLimitBytes: 64 * 1024 * 1024, limitEnforcement: "cgroup" });
    expect(usage.pids).toBeGreaterThanOrEqual(2); // sh execs its last command: two sleeps
    expect(usage.memoryBytes).toBeGreaterThan(0);
    expect(usage.blockReadBytes).toBeGreaterThanOrEqual(0);
    // --network host: no interfaces of its own, so no network numbers rather than zeros.
    expect(usage.netRxBytes).toBeUndefined();
  });

  it("reports a container the kernel OOM-killed as out of memory, with its limit", async () => {
    const project = `oom${process.pid}`;
    names.push(`vigil-${project}-hog`);
    const events: EngineEvent[] = [];
    const exits: ExitInfo[] = [];
    const runner = createDockerRunner({
      project,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      onExit: (x) => exits.push(x),
    });
    try {
      const svc = ServiceSchema.parse({
        kind: "docker",
        image: TEST_IMAGE_V1,
        // A shell variable of 60 MB in a 16 MiB container: the kernel kills it.
        command: ["sh", "-c", 'sleep 1; x=$(head -c 60000000 /dev/zero | tr "\\0" a); echo done'],
        resources: { memory: "16MiB" },
      });
      await runner.start("hog", svc);
      await until(() => exits.length > 0, 20_000);
      const reason = "killed: out of memory, limit 16 MiB (kernel OOM killer)";
      expect(exits[0]).toMatchObject({ service: "hog", code: 137, reason });
      expect(events).toContainEqual(
        expect.objectContaining({ type: "service.oom", limitBytes: 16 * 1024 * 1024 }),
      );
    } finally {
      await runner.close();
    }
  });
});

describe("sample gate", () => {
  it("lets one sample through per interval and none when sampling is off", () => {
    let t = 0;
    const due = sampleGate(1_000, () => t);
    expect([due(), due()]).toEqual([true, false]);
    t = 999;
    expect(due()).toBe(false);
    t = 1_000;
    expect(due()).toBe(true);
    expect(sampleGate(0)()).toBe(false);
  });
});
