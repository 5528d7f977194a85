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

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }

  /** The recorded process if it is still the same live process; stale files are removed. */
  live(name: string): PidRecord | undefined {
    let record: PidRecord;
    try {
      record = JSON.parse(readFileSync(this.file(name), "utf8")) as PidRecord;
    } catch {
      return undefined;
    }
    const same = record.startTime === undefined || record.startTime === startTimeOf(record.pid);
    if (typeof record.pid === "number" && isAlive(record.pid) && same) return record;
    this.remove(name);
    return undefined;
  }
}
