import { readdirSync, readFileSync } from "node:fs";

/*
 * One read of /proc per sampling tick, shared by every service: walking the table once costs
 * the same for 1 service as for 1,000, where a walk per service would grow with their product.
 */

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux ABI Node runs on. */
export const CLOCK_TICKS = 100;

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
  /** utime + stime, clock ticks. */
  ticks: number;
  threads: number;
}

/** A /proc/<pid>/stat line, parsed; undefined when the process is gone. */
export function readProcStat(pid: number): ProcEntry | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // comm may contain spaces and parentheses: fields start after the last ')'.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // f[0] is field 3 (state): ppid 4, pgrp 5, utime 14, stime 15, num_threads 20.
  return {
    pid,
    state: f[0] ?? "?",
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    ticks: Number(f[11]) + Number(f[12]),
    threads: Number(f[17]),
  };
}

/** Every live (non-zombie) process, by pid. */
export function readProcTable(): Map<number, ProcEntry> {
  const table = new Map<number, ProcEntry>();
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return table;
  }
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const entry = readProcStat(Number(name));
    if (entry && entry.state !== "Z" && entry.state !== "X") table.set(entry.pid, entry);
  }
  return table;
}

/** Parent → children and group → members, built once per tick for every tree looked up in it. */
export interface ProcIndex {
  table: ReadonlyMap<number, ProcEntry>;
  children: Map<number, number[]>;
  groups: Map<number, number[]>;
}

export function indexTable(table: ReadonlyMap<number, ProcEntry>): ProcIndex {
  const children = new Map<number, number[]>();
  const groups = new Map<number, number[]>();
  const add = (map: Map<number, number[]>, key: number, pid: number) => {
    const list = map.get(key);
    if (list) list.push(pid);
    else map.set(key, [pid]);
  };
  for (const e of table.values()) {
    add(children, e.ppid, e.pid);
    add(groups, e.pgrp, e.pid);
  }
  return { table, children, groups };
}

/**
 * The process tree of a service: its leader, every descendant, and every member of its process
 * group (a daemonising grandchild is reparented to PID 1 but stays in the group).
 */
export function treeOf(index: ProcIndex, root: number): number[] {
  const seen = new Set<number>();
  const stack = index.table.has(root) ? [root] : [];
  stack.push(...(index.groups.get(root) ?? []));
  // Bounded by the table: each pid is visited once.
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of index.children.get(pid) ?? []) stack.push(child);
  }
  return [...seen];
}

/** Resident memory of one process, bytes (VmRSS; 0 for kernel threads or a vanished pid). */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Open file descriptors of one process (0 when gone or not ours to read). */
export function fdCountOf(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}
