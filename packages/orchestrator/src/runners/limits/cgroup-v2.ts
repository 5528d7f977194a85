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

const CONTROLLERS = ["cpu", "memory"] as const;

/**
 * cgroup v2: one unified hierarchy, a `vigil/<project>/<service>` cgroup under Vigil's own with
 * cpu.max and memory.max (and memory.swap.max 0). Usable only where Vigil's cgroup delegates the
 * cpu and memory controllers to its children (its cgroup.subtree_control lists them, or Vigil may
 * enable them there: the root cgroup, or a delegated cgroup Vigil is not itself a member of).
 * Undefined otherwise.
 */
export function cgroupV2Limiter(host: CgroupHost, project: string): Limiter | undefined {
  const mount = host.mounts.find((m) => m.type === "cgroup2");
  const ownPath = host.own.get("");
  if (!mount || ownPath === undefined) return undefined;
  const own = join(mount.dir, ownPath);
  const root = projectDir(mount.dir, ownPath, project);
  try {
    const offered = (readText(join(own, "cgroup.controllers")) ?? "").split(/\s+/);
    if (!CONTROLLERS.every((c) => offered.includes(c))) return undefined;
    delegate(own);
    makeDir(root);
    delegate(join(own, "vigil"));
    delegate(root);
  } catch {
    return undefined;
  }
  const dirOf = (service: string) => join(root, segment(service));

  function confinement(service: string, baseline: number, command: [string, string[]]): Confinement {
    const dir = dirOf(service);
    return {
      command,
      oomKills: () => {
        const now = oomKillsIn(dir);
        return now === undefined ? undefined : now - baseline;
      },
      pids: () => pidsIn(dir),
      release: () => removeWhenEmpty([dir]),
    };
  }

  return {
    mechanism: "cgroup v2",
    confine(service, limits: Limits, command) {
      const dir = dirOf(service);
      makeDir(dir);
      writeValue(join(dir, "cpu.max"), `${cfsQuotaUs(limits.cpus) ?? "max"} ${CFS_PERIOD_US}`);
      writeValue(
        join(dir, "memory.max"),
        limits.memoryBytes === undefined ? "max" : String(limits.memoryBytes),
      );
      // Without this a service could swap past its memory limit instead of being OOM-killed.
      const swap = join(dir, "memory.swap.max");
      if (existsSync(swap)) writeValue(swap, limits.memoryBytes === undefined ? "max" : "0");
      return confinement(service, oomKillsIn(dir) ?? 0, joinCommand([join(dir, "cgroup.procs")], command));
    },
    find(service) {
      return existsSync(dirOf(service)) ? confinement(service, 0, ["", []]) : undefined;
    },
  };
}

/** Enables cpu and memory for the children of `dir`, unless they already are. */
function delegate(dir: string): void {
  const enabled = (readText(join(dir, "cgroup.subtree_control")) ?? "").split(/\s+/);
  const missing = CONTROLLERS.filter((c) => !enabled.includes(c));
  if (missing.length > 0)
    writeValue(join(dir, "cgroup.subtree_control"), missing.map((c) => `+${c}`).join(" "));
}

/** `oom_kill N` of memory.events. */
function oomKillsIn(dir: string): number | undefined {
  return keyedValue(readText(join(dir, "memory.events")), "oom_kill");
}
