import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** One look at another process's open file descriptors and resident memory, from /proc. */
export type ProcessSample = {
  /** Seconds since the soak began. */
  t: number;
  fds: number;
  /** Open descriptors by what they point at: socket, pipe, anon_inode, file. */
  byType: Record<string, number>;
  rssMiB: number;
};

function fdType(target: string): string {
  if (target.startsWith("socket:")) return "socket";
  if (target.startsWith("pipe:")) return "pipe";
  if (target.startsWith("anon_inode:")) return "anon_inode";
  return "file";
}

export function sampleProcess(pid: number, t: number): ProcessSample {
  const byType: Record<string, number> = {};
  const entries = readdirSync(`/proc/${pid}/fd`);
  for (const fd of entries) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the look: not open any more
    }
    const type = fdType(target);
    byType[type] = (byType[type] ?? 0) + 1;
  }
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return { t, fds: entries.length, byType, rssMiB: Math.round((rssKiB / 1024) * 10) / 10 };
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Least-squares slope of `y` over `t`, per second. */
export function slope(points: { t: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
