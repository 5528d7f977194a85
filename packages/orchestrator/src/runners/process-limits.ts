/*
 * Memory limits for process services without cgroups (limits/rlimit.ts; limits/ holds the
 * cgroup mechanisms). This machine class (cgroup v1 hosts, and
 * cgroup v2 hosts without a delegated memory controller) offers no per-tree limit, so two
 * mechanisms combine:
 *  - RLIMIT_DATA per process (`ulimit -d` in a /bin/sh wrapper that then `exec`s the command,
 *    so the pid Vigil tracks is the service's own): an allocation past it fails (ENOMEM) and most
 *    runtimes exit with an out-of-memory error. It counts writable private mappings, not RSS,
 *    and holds per process, not per tree.
 *  - Vigil's resource sampler: when the tree's resident total passes the limit it kills the group.
 *    It acts once per sampling interval, so a tree can overshoot between two samples.
 */

/** The command line that applies `limitBytes` as the data rlimit before running the command. */
export function withMemoryLimit(
  file: string,
  args: readonly string[],
  limitBytes?: number,
): [string, string[]] {
  if (limitBytes === undefined) return [file, [...args]];
  const kib = Math.max(1, Math.floor(limitBytes / 1024));
  // "$0" "$@" pass the command through untouched: no quoting of user arguments here.
  return ["/bin/sh", ["-c", `ulimit -d ${kib} && exec "$0" "$@"`, file, ...args]];
}

/** 1073741824 → "1 GiB", 134217728 → "128 MiB". */
export function formatLimit(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}

/** What runtimes print when an allocation fails (Node, Python, C++, glibc, Go, the JVM). */
const OOM_OUTPUT =
  /out of memory|Cannot allocate memory|allocation failed|MemoryError|bad_alloc|ENOMEM|OutOfMemoryError/i;

/** Whether the last output lines of a process that exited on its own say it ran out of memory. */
export function saysOutOfMemory(lines: readonly string[]): boolean {
  return lines.some((l) => OOM_OUTPUT.test(l));
}

/** How an out-of-memory end was detected: Vigil's tree kill, the rlimit, or a cgroup's OOM killer. */
export type OomCause = "killed" | "exited" | "cgroup v1" | "cgroup v2";

const OOM_DETAIL: Record<OomCause, string> = {
  killed: "tree over the limit, killed by Vigil",
  exited: "allocation refused by the memory rlimit",
  "cgroup v1": "kernel OOM killer, cgroup v1",
  "cgroup v2": "kernel OOM killer, cgroup v2",
};

/** The status reason for an out-of-memory end, by how it was detected. */
export function oomReason(how: OomCause, limitBytes: number): string {
  const verb = how === "exited" ? "exited" : "killed";
  return `${verb}: out of memory, limit ${formatLimit(limitBytes)} (${OOM_DETAIL[how]})`;
}
