import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  CFS_PERIOD_US,
  type CgroupHost,
  cfsQuotaUs,
  joinCommand,
  keyedValue,
  makeDir,
  pidsIn,
  projectDir,
  readText,
  removeWhenEmpty,
  segment,
  writeValue,
} from "./cgroupfs.ts";
import type { Confinement, Limiter, Limits } from "./types.ts";

/**
 * cgroup v1: separate `cpu` and `memory` hierarchies, each with a `vigil/<project>/<service>`
 * cgroup under Vigil's own. CPU through the CFS quota, memory through memory.limit_in_bytes (and
 * memsw when swap accounting is on, so a service cannot swap past its limit); the kernel's OOM
 * killer acts inside the cgroup and memory.oom_control counts its kills.
 * Undefined when the machine has no writable cpu and memory hierarchies.
 */
export function cgroupV1Limiter(host: CgroupHost, project: string): Limiter | undefined {
  const roots = (["cpu", "memory"] as const).map((controller) => {
    const mount = host.mounts.find((m) => m.type === "cgroup" && m.options.includes(controller));
    return mount ? projectDir(mount.dir, host.own.get(controller) ?? "/", project) : undefined;
  });
  const [cpuRoot, memoryRoot] = roots;
  if (cpuRoot === undefined || memoryRoot === undefined) return undefined;
  try {
    makeDir(cpuRoot);
    makeDir(memoryRoot);
  } catch {
    return undefined;
  }
  if (
    !existsSync(join(cpuRoot, "cpu.cfs_quota_us")) ||
    !existsSync(join(memoryRoot, "memory.limit_in_bytes"))
  ) {
    return undefined;
  }
  const dirsOf = (service: string) => ({
    cpu: join(cpuRoot, segment(service)),
    memory: join(memoryRoot, segment(service)),
  });

  function confinement(service: string, baseline: number, command: [string, string[]]): Confinement {
    const dirs = dirsOf(service);
    return {
      command,
      oomKills: () => {
        const now = oomKillsIn(dirs.memory);
        return now === undefined ? undefined : now - baseline;
      },
      pids: () => [...new Set([...pidsIn(dirs.cpu), ...pidsIn(dirs.memory)])],
      release: () => removeWhenEmpty([dirs.cpu, dirs.memory]),
    };
  }

  return {
    mechanism: "cgroup v1",
    confine(service, limits: Limits, command) {
      const dirs = dirsOf(service);
      makeDir(dirs.cpu);
      makeDir(dirs.memory);
      writeValue(join(dirs.cpu, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
      writeValue(join(dirs.cpu, "cpu.cfs_quota_us"), quotaOf(limits.cpus));
      const memsw = join(dirs.memory, "memory.memsw.limit_in_bytes");
      const swapAccounting = existsSync(memsw);
      // memsw must stay >= the memory limit at every step: open it first, close it after.
      if (swapAccounting) writeValue(memsw, "-1");
      const memory = limits.memoryBytes === undefined ? "-1" : String(limits.memoryBytes);
      writeValue(join(dirs.memory, "memory.limit_in_bytes"), memory);
      if (swapAccounting) writeValue(memsw, memory);
      const procs = [join(dirs.cpu, "cgroup.procs"), join(dirs.memory, "cgroup.procs")];
      return confinement(service, oomKillsIn(dirs.memory) ?? 0, joinCommand(procs, command));
    },
    find(service) {
      const dirs = dirsOf(service);
      return existsSync(dirs.memory) ? confinement(service, 0, ["", []]) : undefined;
    },
  };
}

function quotaOf(cpus: number | undefined): string {
  return String(cfsQuotaUs(cpus) ?? -1);
}

/** `oom_kill N` of memory.oom_control (Linux 4.13+). */
function oomKillsIn(memoryDir: string): number | undefined {
  return keyedValue(readText(join(memoryDir, "memory.oom_control")), "oom_kill");
}
