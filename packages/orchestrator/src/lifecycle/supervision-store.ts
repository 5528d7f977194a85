import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/*
 * The restart policy's memory, kept in the state directory (supervision.json) so restarting
 * Vigil does not reset a crash loop: the attempt count (backoff and crash-loop detection) and
 * the restart counter continue where the previous Vigil left them.
 */

export interface Supervised {
  /** Consecutive quick restarts (reset after a run of `reset_after`). */
  attempts: number;
  /** Restarts made by the policy (the board's RESTARTS column). */
  restarts: number;
}

export class SupervisionStore {
  constructor(private readonly file: string) {}

  load(): Map<string, Supervised> {
    const out = new Map<string, Supervised>();
    for (const [name, value] of Object.entries(this.#read())) out.set(name, value);
    return out;
  }

  /**
   * Records one service. Read-modify-write of that one key, so a CLI and a server sharing the
   * state directory do not wipe each other's services; the rename keeps the file whole.
   */
  save(name: string, value: Supervised): void {
    const all = this.#read();
    all[name] = { attempts: value.attempts, restarts: value.restarts };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(all)}\n`);
      renameSync(temp, this.file);
    } catch {
      // A read-only or full disk must not stop supervision; the counters live on in memory.
    }
  }

  #read(): Record<string, Supervised> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, "utf8"));
      if (parsed === null || typeof parsed !== "object") return {};
      const out: Record<string, Supervised> = {};
      for (const [name, v] of Object.entries(parsed)) {
        const rec = v as Partial<Supervised>;
        if (Number.isInteger(rec.attempts) && Number.isInteger(rec.restarts))
          out[name] = { attempts: rec.attempts as number, restarts: rec.restarts as number };
      }
      return out;
    } catch {
      return {};
    }
  }
}
