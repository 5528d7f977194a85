import { readFile } from "node:fs/promises";

/*
 * CPU and memory of another process from /proc (Linux), so a Vigil running as its own process is
 * measured exactly as an operator's `top` would see it.
 */

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux x86-64

/** utime + stime of `pid` in ms. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name (which may itself contain spaces).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / CLOCK_TICKS_PER_S) * 1000;
}

/** Resident set size of `pid` in bytes. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** Machine-wide CPU busy share (0..100 over all cores) between two calls, for noting load by others. */
export async function machineCpu(): Promise<() => Promise<number>> {
  const read = async () => {
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
    const n = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { idle, total: n.reduce((a, b) => a + b, 0) };
  };
  const a = await read();
  return async () => {
    const b = await read();
    const total = b.total - a.total;
    return total > 0 ? (1 - (b.idle - a.idle) / total) * 100 : Number.NaN;
  };
}
