import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import type { Cleanup } from "./cleanup.ts";
import { repoRoot } from "./paths.ts";
import { freePort } from "./ports.ts";
import { cpuMsOf, rssOf } from "./proc.ts";
import { sleep, waitUntil } from "./time.ts";

/*
 * Vigil started exactly as a new user starts it: `pnpm start` at the repository root (the build
 * check, then `node dist/server.js` with the flags of the `serve` script), with DATABASE_URL unset
 * so the embedded Postgres is used. Only where things live is redirected (data dir, state dir,
 * port) so the bench never touches a Vigil someone else runs on this machine.
 */

export interface StartedVigil {
  url: string;
  /** The Vigil server's own process (node dist/server.js), not pnpm's. */
  pid: number;
  /** From spawning `pnpm start` to /readyz answering 200. */
  readyMs: number;
  output(): string;
  /** SIGTERM to the server (it stops its services with VIGIL_STOP_ON_EXIT=1), then waits. */
  stop(): Promise<void>;
}

export async function pnpmStart(
  cleanup: Cleanup,
  opts: { pgdata: string; stateDir: string; env?: Record<string, string> },
): Promise<StartedVigil> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    VIGIL_PGDATA: opts.pgdata,
    VIGIL_STATE_DIR: opts.stateDir,
    VIGIL_STOP_ON_EXIT: "1",
    ...opts.env,
  };
  delete env.DATABASE_URL;
  let output = "";
  const t0 = performance.now();
  const pnpm = spawn("pnpm", ["start"], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    if (output.length < 50_000) output += chunk.toString();
  };
  pnpm.stdout.on("data", keep);
  pnpm.stderr.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  let server: number | undefined;
  // The server, not pnpm: pnpm's own exit does not wait for (or signal) the node process it ran.
  const stop = async () => {
    server ??= await serverPid(pnpm.pid ?? -1);
    if (server) {
      signal(server, "SIGTERM");
      const gone = await waitGone(server, 60_000);
      if (!gone) signal(server, "SIGKILL");
    }
    if (pnpm.pid) signal(-pnpm.pid, "SIGKILL");
  };
  cleanup.add("pnpm start", stop);
  await waitUntil(
    "/readyz of `pnpm start`",
    async () => {
      if (pnpm.exitCode !== null)
        throw new Error(`pnpm start exited (${pnpm.exitCode}):\n${output.slice(-3000)}`);
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    600_000,
    100,
  );
  const readyMs = performance.now() - t0;
  server = await serverPid(pnpm.pid ?? -1);
  if (!server) throw new Error("no `node dist/server.js` process under pnpm start");
  return { url, pid: server, readyMs, output: () => output, stop };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: already gone.
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (stat === "" || state === "Z") return true;
    await sleep(200);
  }
  return false;
}

/** Parent pid of every process, from /proc. */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (Number.isFinite(ppid)) map.set(Number(name), ppid);
  }
  return map;
}

/** Every descendant of `root` (children, their children, …). */
export async function descendants(root: number): Promise<number[]> {
  const ppids = await parents();
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of ppids)
      if (parent === pid) {
        out.push(child);
        walk(child);
      }
  };
  walk(root);
  return out;
}

async function serverPid(pnpmPid: number): Promise<number | undefined> {
  for (const pid of await descendants(pnpmPid)) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    const [exe = "", ...args] = cmd.split("\0");
    if (exe.endsWith("node") && args.some((a) => a.endsWith("dist/server.js"))) return pid;
  }
  return undefined;
}

/** CPU (ms) and RSS (bytes) summed over processes; a process that ended counts as 0. */
export async function usageOf(pids: number[]): Promise<{ cpuMs: number; rss: number }> {
  let cpuMs = 0;
  let rss = 0;
  for (const pid of pids) {
    cpuMs += await cpuMsOf(pid).catch(() => 0);
    rss += await rssOf(pid).catch(() => 0);
  }
  return { cpuMs, rss };
}

/**
 * Samples the server (and, separately, every process under it: the services it runs) over
 * `windowMs`: CPU as % of one core over the window, RSS every 5 s.
 */
export async function measure(serverPid: number, windowMs: number) {
  const children = await descendants(serverPid);
  const s0 = await usageOf([serverPid]);
  const c0 = await usageOf(children);
  const rss: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < windowMs) {
    rss.push((await usageOf([serverPid])).rss);
    await sleep(Math.min(5000, Math.max(0, windowMs - (performance.now() - t0))));
  }
  const wallMs = performance.now() - t0;
  const s1 = await usageOf([serverPid]);
  const c1 = await usageOf(children);
  rss.push(s1.rss);
  return {
    cpuPercent: ((s1.cpuMs - s0.cpuMs) / wallMs) * 100,
    rssEnd: s1.rss,
    rssPeak: Math.max(...rss),
    rssStart: rss[0] ?? s1.rss,
    wallMs,
    children: {
      count: children.length,
      cpuPercent: ((c1.cpuMs - c0.cpuMs) / wallMs) * 100,
      rss: c1.rss,
    },
  };
}
