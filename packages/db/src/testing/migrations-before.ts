// Test helper: the migrations folder as it was before a given migration, to seed an old layout.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrationsDir } from "../paths.ts";

export interface MigrationsBefore {
  dir: string;
  /** Every migration from `first` on, in the order `migrate` applies them after the seed. */
  later: string[];
  remove(): Promise<void>;
}

/** A temporary copy of every migration named before `first` (plus the lock file). */
export async function migrationsBefore(first: string): Promise<MigrationsBefore> {
  const dir = await mkdtemp(path.join(tmpdir(), "vigil-migrations-"));
  const later: string[] = [];
  for (const entry of (await readdir(migrationsDir)).sort()) {
    if (/^\d{14}_/.test(entry) && entry >= first) later.push(entry);
    else await cp(path.join(migrationsDir, entry), path.join(dir, entry), { recursive: true });
  }
  return { dir, later, remove: () => rm(dir, { recursive: true, force: true }) };
}
