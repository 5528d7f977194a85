import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/*
 * Real processes for control-plane tests: the Vigil server (server.ts under tsx, headless) and
 * the `vigil` binary, exactly as a person runs them.
 */

export const repoRoot = resolve(import.meta.dirname, "../../../../..");
const serverEntry = join(repoRoot, "apps/web/server.ts");
const vigilBin = join(repoRoot, "packages/cli/bin/vigil.mjs");

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `vigil args` to completion (killed after `timeoutMs`). */
export function vigil(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number; stdin?: string },
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [vigilBin, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: "1", VIGIL_TOKEN: undefined, VIGIL_SERVER: undefined, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
    });
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    else child.stdin?.end();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`vigil ${args.join(" ")} timed out\n${out}\n${err}`));
    }, opts.timeoutMs ?? 60_000);
    child.once("error", fail);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `server.ts --config <config>` headless on a free port of 127.0.0.1. Run by node itself
 * (`--import tsx`), not the tsx wrapper: the wrapper SIGKILLs its child when the child does not
 * acknowledge a relayed SIGTERM within 30 ms, which a loaded CI machine misses, and then the
 * server never withdraws server.json.
 */
export function startServer(config: string, env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", serverEntry, "--config", config], {
    cwd: repoRoot,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", VIGIL_NO_UI: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

/** The URL the server recorded for the CLI, once it listens. */
export function serverUrl(stateDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(stateDir, "server.json"), "utf8")) as { url: string }).url;
  } catch {
    return undefined;
  }
}

/** The pid Vigil recorded for a process service (the run/<name>.json pid file). */
export function servicePid(stateDir: string, name: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(stateDir, "run", `${name}.json`), "utf8")) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}
