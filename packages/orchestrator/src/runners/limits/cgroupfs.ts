import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/*
 * What cgroup v1 and v2 share: where the hierarchies are mounted, which cgroup Vigil itself is in,
 * the wrapper that puts a service into its cgroup before the service's own code runs, and the
 * removal of a service's cgroup once it is empty.
 */

/** CFS period: the quota is `cpus` times this, per period. */
export const CFS_PERIOD_US = 100_000;
/** The kernel refuses quotas under 1 ms. */
const MIN_QUOTA_US = 1_000;

/** The CFS quota for `cpus` cores per period, or undefined for no limit. */
export function cfsQuotaUs(cpus: number | undefined): number | undefined {
  return cpus === undefined ? undefined : Math.max(MIN_QUOTA_US, Math.round(cpus * CFS_PERIOD_US));
}

export interface Mount {
  dir: string;
  type: string;
  options: string[];
}

/** Mounted cgroup hierarchies and Vigil's own place in each, read from /proc/self. */
export interface CgroupHost {
  mounts: Mount[];
  /** controller (v1, e.g. "memory") or "" (v2 unified) → Vigil's own cgroup path in it. */
  own: Map<string, string>;
}

export function readHost(): CgroupHost {
  const mounts = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .flatMap((line) => {
      const [, dir, type, options] = line.split(" ");
      return dir && (type === "cgroup" || type === "cgroup2")
        ? [{ dir: unescapeMount(dir), type, options: (options ?? "").split(",") }]
        : [];
    });
  const own = new Map<string, string>();
  for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, controllers = "", path = "/"] = match;
    if (controllers === "") own.set("", path);
    for (const c of controllers.split(",")) if (c) own.set(c.replace(/^name=/, ""), path);
  }
  return { mounts, own };
}

/** /proc/self/mounts escapes spaces and the like as \040. */
function unescapeMount(dir: string): string {
  return dir.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** A name safe as one path segment. */
export const segment = (name: string): string => name.replace(/[^A-Za-z0-9_.-]/g, "_");

/** `<hierarchy root><Vigil's own cgroup>/vigil/<project>`: nested under Vigil, so its own limits still hold. */
export function projectDir(mountDir: string, ownPath: string, project: string): string {
  return join(mountDir, ownPath, "vigil", segment(project));
}

/** mkdir -p with an error that says what and why. */
export function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new Error(`cannot create cgroup ${dir}: ${codeOf(error)}`);
  }
}

export function writeValue(file: string, value: string): void {
  try {
    writeFileSync(file, value);
  } catch (error) {
    throw new Error(`cannot write "${value.trim()}" to ${file}: ${codeOf(error)}`);
  }
}

export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** The number after `key ` in a flat keyed file (memory.events, memory.oom_control). */
export function keyedValue(text: string | undefined, key: string): number | undefined {
  const match = text?.match(new RegExp(`^${key} (\\d+)$`, "m"));
  return match ? Number(match[1]) : undefined;
}

export function pidsIn(dir: string): number[] {
  return (readText(join(dir, "cgroup.procs")) ?? "")
    .split("\n")
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

const codeOf = (error: unknown): string =>
  error instanceof Error && "code" in error ? String(error.code) : String(error);

/*
 * The service joins its cgroups itself: a /bin/sh writes its own pid ($$) into each cgroup.procs
 * and then `exec`s the command, so the pid Vigil tracks is the service's and not one instruction
 * of the service runs outside its limits. Writing the child's pid from Vigil after spawn would
 * leave a window in which the program runs, and may fork children that stay outside. A failed
 * write ends the wrapper with 125 and says why, rather than running the service unlimited.
 */
const JOIN_SCRIPT =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "vigil: cannot join cgroup $1" >&2; exit 125; }; shift; n=$((n-1)); done; exec "$@"';

export function joinCommand(
  procsFiles: readonly string[],
  [file, args]: [string, string[]],
): [string, string[]] {
  return [
    "/bin/sh",
    ["-c", JOIN_SCRIPT, "vigil-cgroup", String(procsFiles.length), ...procsFiles, file, ...args],
  ];
}

/** Bound on waiting for a cgroup's last processes to be reaped before removing it. */
const RELEASE_WAIT_MS = 3_000;

/**
 * Removes service cgroups once empty: members left behind (a daemon that left the process group)
 * are killed first, as the cgroup is the service. Bounded; never throws.
 */
export async function removeWhenEmpty(dirs: readonly string[]): Promise<void> {
  const deadline = Date.now() + RELEASE_WAIT_MS;
  for (const dir of dirs) {
    for (const pid of pidsIn(dir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (;;) {
      try {
        rmdirSync(dir);
        break;
      } catch (error) {
        const code = codeOf(error);
        if (code === "ENOENT" || Date.now() >= deadline || (code !== "EBUSY" && code !== "ENOTEMPTY")) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    // The project's cgroup goes with its last service (EBUSY while another still has one).
    removeQuietly(dirname(dir));
  }
}

export function removeQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or already gone
  }
}
