import type { BackupCopy } from "./copies.ts";

export interface Retention {
  /** Copies older than this many days go. */
  keepDays?: number;
  /** At most this many copies stay. */
  keepCopies?: number;
}

const DAY_MS = 86_400_000;

/**
 * Which copies retention deletes (copies newest first). Never the newest copy, and never the
 * newest copy a restore drill passed on: if every recent dump is corrupt, the last good one stays
 * whatever its age.
 */
export function copiesToPrune(copies: readonly BackupCopy[], keep: Retention, now: Date): BackupCopy[] {
  const newest = copies[0];
  const newestGood = copies.find((c) => c.drill?.passed === true);
  return copies.filter((copy, index) => {
    if (copy === newest || copy === newestGood) return false;
    const tooMany = keep.keepCopies !== undefined && index >= keep.keepCopies;
    const tooOld =
      keep.keepDays !== undefined && now.getTime() - copy.takenAt.getTime() > keep.keepDays * DAY_MS;
    return tooMany || tooOld;
  });
}
