import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive, startTimeOf } from "./process-group.ts";

/** What a pid file remembers so a restarted Vigil can adopt, not double-start, a service. */
export interface PidRecord {
  pid: number;
  /** Kernel start time of the pid, to tell our process from a later one reusing the pid. */
  startTime?: string;
  startedAt: string;
  revision: string;
  /** Set by the Vigil that is stopping it, so another Vigil watching it does not take the exit for a crash. */
  stopping?: boolean;
}

export class PidFiles {
  constructor(private readonly dir: string) {}

  private file(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  write(name: string, record: PidRecord): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.file(name), `${JSON.stringify(record)}\n`);
  }

  /** Records that a stop was asked for, before any signal is sent. */
  markStopping(name: string): void {
    const record = this.read(name);
    if (record) this.write(name, { ...record, stopping: true });
  }

  /** True when the service's exit was asked for: its pid file says so or is already gone. */
  stopRequested(name: string): boolean {
    const record = this.read(name);
    return record === undefined || record.stopping === true;
  }

  private read(name: string): PidRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.file(name), "utf8")) as PidRecord;
    } catch {
      return undefined;
    }
  }

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }

  /** The recorded process if it is still the same live process; stale files are removed. */
  live(name: string): PidRecord | undefined {
    const record = this.read(name);
    if (!record) return undefined;
    const same = record.startTime === undefined || record.startTime === startTimeOf(record.pid);
    if (typeof record.pid === "number" && isAlive(record.pid) && same) return record;
    this.remove(name);
    return undefined;
  }
}
