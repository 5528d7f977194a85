import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/*
 * Docker cannot say whether a container stopped because someone asked or because it died: both
 * end as "exited" with a code. Vigil writes down the container it stopped on purpose, so a
 * container that is down without such a mark reads as "exited unexpectedly".
 */

const fileOf = (stateDir: string, service: string) => join(stateDir, "docker", `${service}.stopped`);

export async function markStopped(stateDir: string, service: string, containerId: string): Promise<void> {
  await mkdir(join(stateDir, "docker"), { recursive: true });
  await writeFile(fileOf(stateDir, service), containerId);
}

export async function clearStopped(stateDir: string, service: string): Promise<void> {
  await rm(fileOf(stateDir, service), { force: true });
}

export async function wasStopped(stateDir: string, service: string, containerId: string): Promise<boolean> {
  try {
    return (await readFile(fileOf(stateDir, service), "utf8")).trim() === containerId;
  } catch {
    return false;
  }
}
