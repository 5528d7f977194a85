import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cgroupV2Limiter } from "./cgroup-v2.ts";
import type { CgroupHost } from "./cgroupfs.ts";
import { chooseLimiter } from "./choose.ts";

/** A directory laid out like a cgroup2 mount whose root delegates `controllers`. */
function fakeUnified(controllers: string): { root: string; host: CgroupHost } {
  const root = mkdtempSync(join(tmpdir(), "vigil-cg2-"));
  writeFileSync(join(root, "cgroup.controllers"), `${controllers}\n`);
  writeFileSync(join(root, "cgroup.subtree_control"), "");
  return { root, host: { mounts: [{ dir: root, type: "cgroup2", options: [] }], own: new Map([["", "/"]]) } };
}

// This machine's cgroup2 mount offers no cpu or memory controller, so these run against a plain
// directory laid out like cgroupfs (simulated cgroup v2): the files written and read are checked,
// not the kernel's enforcement, which limits/cgroup-v1.test.ts proves on real cgroups.
describe("cgroup v2 limiter (simulated cgroupfs: no v2 controllers on this machine)", () => {
  it("delegates cpu and memory down to the service and writes cpu.max and memory.max", () => {
    const { root, host } = fakeUnified("cpuset cpu io memory pids");
    const limiter = cgroupV2Limiter(host, "shop");
    expect(limiter?.mechanism).toBe("cgroup v2");
    const dir = join(root, "vigil", "shop", "api");
    const confinement = limiter?.confine("api", { cpus: 0.2, memoryBytes: 64 * 1024 * 1024 }, [
      "/bin/true",
      [],
    ]);
    expect(readFileSync(join(root, "cgroup.subtree_control"), "utf8")).toBe("+cpu +memory");
    expect(readFileSync(join(root, "vigil", "shop", "cgroup.subtree_control"), "utf8")).toBe("+cpu +memory");
    expect(readFileSync(join(dir, "cpu.max"), "utf8")).toBe("20000 100000");
    expect(readFileSync(join(dir, "memory.max"), "utf8")).toBe(String(64 * 1024 * 1024));

    // The real wrapper, run: it writes its own pid into cgroup.procs, then execs the command.
    const [file, args] = confinement?.command ?? ["", []];
    const run = spawnSync(file, [...args.slice(0, -1), "/bin/sh", "-c", "echo $$"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, "cgroup.procs"), "utf8").trim()).toBe(run.stdout.trim());

    writeFileSync(join(dir, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    expect(confinement?.oomKills()).toBe(1);
  });

  it("is not used where Vigil's cgroup does not offer cpu and memory", () => {
    const { host } = fakeUnified("cpuset io pids");
    expect(cgroupV2Limiter(host, "shop")).toBeUndefined();
  });

  it("a wrapper that cannot join its cgroup exits 125 and says why instead of running unlimited", () => {
    const { root, host } = fakeUnified("cpu memory");
    const confinement = cgroupV2Limiter(host, "shop")?.confine("api", {}, ["/bin/echo", ["ran"]]);
    // A directory where cgroup.procs should be: the write fails.
    mkdirSync(join(root, "vigil", "shop", "api", "cgroup.procs"), { recursive: true });
    const [file, args] = confinement?.command ?? ["", []];
    const run = spawnSync(file, args, { encoding: "utf8" });
    expect(run.status).toBe(125);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("vigil: cannot join cgroup");
  });
});

describe("choosing a limiter", () => {
  it("auto takes cgroup v2 where delegated, else falls back to the rlimit without a complaint", () => {
    expect(chooseLimiter("auto", "p", () => fakeUnified("cpu memory").host).limiter.mechanism).toBe(
      "cgroup v2",
    );
    const none = chooseLimiter("auto", "p", () => ({ mounts: [], own: new Map() }));
    expect(none).toEqual({ limiter: expect.objectContaining({ mechanism: "rlimit" }) });
  });

  it("a cgroup asked for by name but unusable falls back to the rlimit and says why", () => {
    const chosen = chooseLimiter("cgroup-v2", "p", () => fakeUnified("pids").host);
    expect(chosen.limiter.mechanism).toBe("rlimit");
    expect(chosen.unavailable).toBe("cgroup-v2 is not usable here (no writable cpu and memory controllers)");
  });
});
