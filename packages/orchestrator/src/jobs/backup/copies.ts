import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/*
 * A backup destination is a directory of timestamped copies, `<job>-<UTC time>.<ext>`, each with
 * an optional `<copy>.drill.json` beside it saying whether a restore drill passed on it. Copies are
 * written as `<copy>.partial` and renamed when complete, so a half-written dump never counts.
 * The directory is 0700 and every copy 0600: a dump holds all the data it backs up.
 */

export interface DrillMark {
  passed: boolean;
  at: string;
  /** The drill job that checked the copy. */
  by: string;
  detail: string;
}

export interface BackupCopy {
  file: string;
  path: string;
  takenAt: Date;
  sizeBytes: number;
  drill: DrillMark | null;
}

const stamp = (at: Date) => at.toISOString().replace(/[:.]/g, "-");
const STAMP = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/;

/** Makes the destination (0700) and returns where the new copy goes, and its temporary name. */
export async function newCopyPath(
  dir: string,
  job: string,
  ext: string,
  at: Date = new Date(),
): Promise<{ final: string; partial: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const final = join(dir, `${job}-${stamp(at)}.${ext}`);
  return { final, partial: `${final}.partial` };
}

/** Publishes a complete copy: 0600, renamed from its temporary name. */
export async function publishCopy(paths: { final: string; partial: string }): Promise<number> {
  await chmod(paths.partial, 0o600);
  await rename(paths.partial, paths.final);
  return (await stat(paths.final)).size;
}

export async function discardPartial(paths: { partial: string }): Promise<void> {
  await unlink(paths.partial).catch(() => undefined);
}

/** The job's complete copies in a destination, newest first (a missing directory has none). */
export async function listCopies(dir: string, job: string): Promise<BackupCopy[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const copies: BackupCopy[] = [];
  for (const file of names) {
    if (!file.startsWith(`${job}-`)) continue;
    const rest = file.slice(job.length + 1);
    const dot = rest.indexOf(".");
    const time = STAMP.exec(dot < 0 ? rest : rest.slice(0, dot));
    if (!time || file.endsWith(".partial") || file.endsWith(".drill.json")) continue;
    const [, day, h, m, s, ms] = time;
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    copies.push({
      file,
      path,
      takenAt: new Date(`${day}T${h}:${m}:${s}.${ms}Z`),
      sizeBytes: info.size,
      drill: await readDrill(path),
    });
  }
  return copies.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

async function readDrill(path: string): Promise<DrillMark | null> {
  try {
    return JSON.parse(await readFile(`${path}.drill.json`, "utf8")) as DrillMark;
  } catch {
    return null;
  }
}

/** Records a drill's verdict beside the copy it restored. */
export async function markDrill(copyPath: string, mark: DrillMark): Promise<void> {
  await writeFile(`${copyPath}.drill.json`, `${JSON.stringify(mark)}\n`, { mode: 0o600 });
}

/** Deletes a copy and its drill mark. */
export async function removeCopy(copy: BackupCopy): Promise<void> {
  await unlink(copy.path);
  await unlink(`${copy.path}.drill.json`).catch(() => undefined);
}
