import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../events.ts";
import { alive, fixture, service, tempStateDir, until } from "../../lifecycle/fixtures/helpers.ts";
import { ProcessTreeSampler } from "../../resources/sampler.ts";
import { createProcessRunner } from "../process.ts";
import type { ExitInfo, Runner } from "../types.ts";
import { cgroupV1Limiter } from "./cgroup-v1.ts";
import { projectDir, readHost, removeQuietly } from "./cgroupfs.ts";

const hog = fixture("../../resources/fixtures/hog.mjs");
const MiB = 1024 * 1024;
const host = readHost();
const hasV1 = host.mounts.some((m) => m.type === "cgroup" && m.options.includes("memory"));

/** Where the service's memory cgroup lives, as the limiter makes it. */
function memoryDir(project: string, name: string): string {
  const mount = host.mounts.find((m) => m.type === "cgroup" && m.options.includes("memory"));
  return join(projectDir(mount?.dir ?? "", host.own.get("memory") ?? "/", project), name);
}

// Needs a cgroup v1 host with writable cpu and memory hierarchies (this machine, as root).
describe.runIf(hasV1)("process limits through cgroup v1 (real cgroups, real processes)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  });

  function setup() {
    const project = `lim${process.pid}${Math.random().toString(36).slice(2, 6)}`;
    const events: EngineEvent[] = [];
    const exits: ExitInfo[] = [];
    const runner = createProcessRunner({
      project,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      onExit: (x) => exits.push(x),
      resourceIntervalMs: 100,
      limiter: "cgroup-v1",
    });
    return { project, events, exits, runner };
  }

  function track(runner: Runner, name: string, svc: ReturnType<typeof service>) {
    cleanups.push(async () => {
      await runner.stop(name, svc);
      await runner.close();
    });
  }

  it("is usable here and is what auto picks on a host without cgroup v2 controllers", () => {
    const project = `probe${process.pid}`;
    expect(cgroupV1Limiter(host, project)?.mechanism).toBe("cgroup v1");
    removeQuietly(dirname(memoryDir(project, "x")));
    const cpuMount = host.mounts.find((m) => m.type === "cgroup" && m.options.includes("cpu"));
    removeQuietly(projectDir(cpuMount?.dir ?? "", host.own.get("cpu") ?? "/", project));
  });

  it("the kernel OOM-kills a tree past its memory limit: reported, counted, cgroup removed", async () => {
    const { project, runner, events, exits } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, hog],
      env: { HOG_SINGLE: "1", HOG_STEP_MB: "16", HOG_MAX_MB: "1024" },
      resources: { memory: "128MiB" },
    });
    track(runner, "hog", svc);
    const started = await runner.start("hog", svc);
    expect(started.limits).toEqual({ enforcement: "cgroup v1", memoryBytes: 128 * MiB });
    expect(readFileSync(join(memoryDir(project, "hog"), "memory.limit_in_bytes"), "utf8").trim()).toBe(
      String(128 * MiB),
    );
    await until(() => exits.length > 0, 20_000);
    const reason = "killed: out of memory, limit 128 MiB (kernel OOM killer, cgroup v1)";
    expect(exits[0]).toMatchObject({ service: "hog", signal: "SIGKILL", requested: false, reason });
    expect(events.filter((e) => e.type === "service.oom")).toEqual([
      expect.objectContaining({ service: "hog", limitBytes: 128 * MiB, reason }),
    ]);
    const samples = events.flatMap((e) => (e.type === "service.resources" ? [e] : []));
    expect(samples.at(-1)).toMatchObject({ memoryLimitBytes: 128 * MiB, limitEnforcement: "cgroup v1" });
    await until(() => !existsSync(memoryDir(project, "hog")), 5_000);
  });

  it("holds a busy loop at cpus: 0.2 to about a fifth of a core", async () => {
    const { project, runner } = setup();
    const svc = service({
      kind: "process",
      command: ["/bin/sh", "-c", "while :; do :; done"],
      resources: { cpus: 0.2 },
    });
    track(runner, "spin", svc);
    const { pid = 0 } = await runner.start("spin", svc);
    const sampler = new ProcessTreeSampler();
    sampler.sample([{ service: "spin", pid }]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const [sample] = sampler.sample([{ service: "spin", pid }]);
    // A behaviour band, not a speed target: unlimited, the loop takes a whole core.
    const used = sample?.cpuPercent ?? 0;
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThan(40);
    console.log(`busy loop under cpus: 0.2 used ${used.toFixed(1)} % of a core over 3 s`);
    const cpuMount = host.mounts.find((m) => m.type === "cgroup" && m.options.includes("cpu"));
    const cpuDir = join(projectDir(cpuMount?.dir ?? "", host.own.get("cpu") ?? "/", project), "spin");
    expect(readFileSync(join(cpuDir, "cpu.cfs_quota_us"), "utf8").trim()).toBe("20000");
    const throttled = /nr_throttled (\d+)/.exec(readFileSync(join(cpuDir, "cpu.stat"), "utf8"))?.[1];
    // Throttled at its quota, unless a loaded machine never let it reach the quota at all.
    expect(Number(throttled) > 0 || used < 20).toBe(true);
  });

  it("runs the service inside its cgroup from its first instruction, and stop kills what left the group", async () => {
    const { project, runner, exits } = setup();
    const svc = service({
      kind: "process",
      // The program reads its own cgroup first thing; `setsid` starts a member outside the process group.
      command: ["/bin/sh", "-c", "cat /proc/self/cgroup; setsid sleep 120 & echo escaped $!; sleep 120"],
      resources: { memory: "64MiB", cpus: 1 },
      stop_grace: "2s",
    });
    track(runner, "inside", svc);
    await runner.start("inside", svc);
    await until(() => runner.logs("inside").some((l) => l.startsWith("escaped")));
    const lines = runner.logs("inside");
    const memoryLine = lines.find((l) => /^\d+:memory:/.test(l)) ?? "";
    expect(memoryLine.endsWith(`/vigil/${project}/inside`)).toBe(true);
    const escaped = Number(lines.find((l) => l.startsWith("escaped"))?.split(" ")[1]);
    expect(alive(escaped)).toBe(true);
    await runner.stop("inside", svc);
    expect(exits[0]).toMatchObject({ requested: true });
    expect(alive(escaped)).toBe(false);
    expect(existsSync(memoryDir(project, "inside"))).toBe(false);
  });
});
