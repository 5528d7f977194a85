import {
  CLOCK_TICKS,
  fdCountOf,
  indexTable,
  type ProcEntry,
  readProcTable,
  rssOf,
  treeOf,
} from "./proc-table.ts";

/** What one sample of a process tree measured. */
export interface TreeSample {
  service: string;
  at: Date;
  /** CPU time used since the previous sample, % of one core (as `docker stats` and `top` show it). */
  cpuPercent: number;
  /** Sum of the tree's resident memory (VmRSS): shared pages count once per process. */
  memoryBytes: number;
  fds: number;
  threads: number;
  pids: number;
}

export interface SamplerTarget {
  service: string;
  pid: number;
}

interface Previous {
  pid: number;
  ticks: number;
  atMs: number;
}

/**
 * CPU and memory of process services from /proc. CPU needs two readings, so a service's first
 * tick only records its baseline; a new leader pid (a restart) starts a new baseline.
 */
export class ProcessTreeSampler {
  readonly #prev = new Map<string, Previous>();
  readonly #now: () => number;
  readonly #readTable: () => Map<number, ProcEntry>;

  constructor(opts: { now?: () => number; readTable?: () => Map<number, ProcEntry> } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#readTable = opts.readTable ?? readProcTable;
  }

  /** One reading of every target; services gone from `targets` lose their baseline. */
  sample(targets: readonly SamplerTarget[]): TreeSample[] {
    if (targets.length === 0) {
      this.#prev.clear();
      return [];
    }
    const table = this.#readTable();
    const index = indexTable(table);
    const atMs = this.#now();
    const out: TreeSample[] = [];
    const wanted = new Set<string>();
    for (const { service, pid } of targets) {
      wanted.add(service);
      const pids = treeOf(index, pid);
      if (pids.length === 0) {
        this.#prev.delete(service);
        continue;
      }
      let ticks = 0;
      let threads = 0;
      let memoryBytes = 0;
      let fds = 0;
      for (const p of pids) {
        const e = table.get(p);
        ticks += e?.ticks ?? 0;
        threads += e?.threads ?? 0;
        memoryBytes += rssOf(p);
        fds += fdCountOf(p);
      }
      const prev = this.#prev.get(service);
      this.#prev.set(service, { pid, ticks, atMs });
      if (!prev || prev.pid !== pid || atMs <= prev.atMs) continue;
      // Children that exited take their ticks with them: a drop is not negative CPU.
      const used = Math.max(0, ticks - prev.ticks) / CLOCK_TICKS;
      const cpuPercent = (used / ((atMs - prev.atMs) / 1000)) * 100;
      out.push({ service, at: new Date(atMs), cpuPercent, memoryBytes, fds, threads, pids: pids.length });
    }
    for (const service of this.#prev.keys()) if (!wanted.has(service)) this.#prev.delete(service);
    return out;
  }
}
