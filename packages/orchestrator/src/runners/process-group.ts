import { readdirSync, readFileSync } from "node:fs";

/*
 * Process-group facts read from /proc. Zombies are ignored on purpose: an orphaned grandchild
 * that exited is reparented to PID 1, and in containers PID 1 often never reaps, so
 * `kill(-pgid, 0)` keeps "succeeding" for a group whose members have all exited.
 */

interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may contain spaces and parentheses: fields start after the last ')'.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, state: rest[0] ?? "?", pgrp: Number(rest[2]), startTime: rest[19] ?? "" };
  } catch {
    return undefined;
  }
}

const hasProc = (() => {
  try {
    readdirSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") members.push(stat.pid);
  }
  return members;
}

/**
 * Whether a group has a live member. Asks the leader first: while it is alive and still in its own
 * group that settles it with one read, where walking /proc reads every process on the machine
 * (hundreds of files, once a second per adopted service).
 */
export function groupAlive(pgid: number): boolean {
  const leader = hasProc ? readStat(pgid) : undefined;
  if (leader && leader.pgrp === pgid && leader.state !== "Z" && leader.state !== "X") return true;
  return groupMembers(pgid).length > 0;
}

/** Whether a pid is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readStat(pid);
  return stat === undefined ? !hasProc : stat.state !== "Z" && stat.state !== "X";
}

/** Kernel start time of a pid (clock ticks since boot): tells a reused pid from the one we started. */
export function startTimeOf(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Polls until the group has no live member or `timeoutMs` passes. Returns true when gone. */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}
