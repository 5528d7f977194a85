import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/*
 * API tokens saved by `vigil login`, one per server origin, in the user's config directory
 * ($XDG_CONFIG_HOME/vigil/credentials.json, else ~/.config/vigil/...), mode 0600.
 */

const Credentials = z.object({
  servers: z.record(z.string(), z.object({ token: z.string(), savedAt: z.string() })),
});
type Credentials = z.infer<typeof Credentials>;

export function credentialsPath(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "vigil", "credentials.json");
}

export function originOf(url: string): string {
  return new URL(url).origin;
}

async function read(path: string): Promise<Credentials> {
  const text = await readFile(path, "utf8").catch(() => "");
  if (text === "") return { servers: {} };
  const parsed = Credentials.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${path}: not a vigil credentials file; move it away and log in again`);
  return parsed.data;
}

export async function savedToken(
  env: Readonly<Record<string, string | undefined>>,
  url: string,
): Promise<string | undefined> {
  const creds = await read(credentialsPath(env));
  return creds.servers[originOf(url)]?.token;
}

/** Saves (or replaces) the token for `url`'s origin; the file is never readable by others. */
export async function saveToken(
  env: Readonly<Record<string, string | undefined>>,
  url: string,
  token: string,
): Promise<string> {
  const path = credentialsPath(env);
  const creds = await read(path);
  creds.servers[originOf(url)] = { token, savedAt: new Date().toISOString() };
  await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}
