import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { RemoteServer } from "./client.ts";
import { savedToken } from "./credentials.ts";

/*
 * Which server, if any, owns the services this command is about. `--server URL` / VIGIL_SERVER
 * name one (token: VIGIL_TOKEN, else the one `vigil login` saved). Otherwise a server that runs
 * for this config has written `<state dir>/server.json` with its URL and a local credential;
 * when it is stale (process gone, not answering) the CLI works standalone.
 */

const ServerFile = z.object({ url: z.string(), pid: z.number(), config: z.string(), token: z.string() });
const PROBE_TIMEOUT_MS = 2000;

export async function explicitServer(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RemoteServer | null> {
  const url = flag || env.VIGIL_SERVER;
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `${flag ? "--server" : "VIGIL_SERVER"}: "${url}" is not a URL like http://vigil.example:3000`,
    );
  }
  const token = env.VIGIL_TOKEN || (await savedToken(env, parsed.href));
  return { url: parsed.href, token, source: flag ? "--server" : "VIGIL_SERVER" };
}

/** The server recorded in the state directory, when it is alive and runs this same config. */
export async function localServer(
  stateDir: string,
  configPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RemoteServer | null> {
  const file = join(stateDir, "server.json");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return null;
  const record = ServerFile.safeParse(JSON.parse(text));
  if (!record.success || record.data.config !== configPath || !alive(record.data.pid)) return null;
  if (!(await answers(record.data.url))) return null;
  // VIGIL_TOKEN wins: CI on the server's own machine acts as the token's owner.
  return { url: record.data.url, token: env.VIGIL_TOKEN || record.data.token, source: file };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (then server.json was not ours to read anyway).
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL("/healthz", url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
