import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type APIRequestContext, request } from "@playwright/test";

const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = join(webDir, "dist", "server.js");

/*
 * For specs that run a Vigil of their own (dist/server.js with their own config and database)
 * beside the shared e2e stack: the soak and the TLS expiry spec.
 */

/** Resolves once `base`/readyz answers; fails with the server's output when it exits or takes 90 s. */
export async function waitReady(base: string, server: ChildProcess, output: string[]): Promise<void> {
  const until = Date.now() + 90_000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`Vigil exited (${server.exitCode}):\n${output.join("")}`);
    const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Vigil not ready on ${base} after 90 s:\n${output.join("")}`);
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopServer(server: ChildProcess | undefined, graceMs = 30_000): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface OwnVigil {
  server: ChildProcess;
  /** The server's recent output (stdout and stderr), for failure messages and attachments. */
  output: string[];
}

/**
 * Creates the throwaway database `db` and starts the built server (dist/server.js) on `port` with
 * it, in production mode on 127.0.0.1, plus `env` (VIGIL_CONFIG, state dir, users...). Resolves
 * once /readyz answers (and stops the server if it never does). `output` keeps the last `keepChunks` chunks the server printed.
 */
export async function startOwnVigil(opts: {
  port: number;
  db: string;
  env: Record<string, string>;
  keepChunks?: number;
  output?: string[];
  /** false: join the database another instance created (cluster specs). Default true. */
  createDb?: boolean;
}): Promise<OwnVigil> {
  if (opts.createDb !== false)
    execFileSync(process.execPath, ["e2e/db.mjs", "create", opts.db], { cwd: webDir, stdio: "pipe" });
  const server = spawn(process.execPath, [SERVER], {
    cwd: webDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(opts.port),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${opts.db}`,
      ...opts.env,
    },
  });
  const output = opts.output ?? [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > (opts.keepChunks ?? 200)) output.splice(0, output.length - (opts.keepChunks ?? 200));
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  try {
    await waitReady(`http://127.0.0.1:${opts.port}`, server, output);
  } catch (error) {
    // The caller never got the process: it must not outlive the failure.
    await stopServer(server);
    throw error;
  }
  return { server, output };
}

/** Signs `ctx` in as `user` through the real endpoint; returns the CSRF token to send. */
export async function signIn(ctx: APIRequestContext, user: string, password: string): Promise<string> {
  const session = async () =>
    ((await (await ctx.get("/api/auth/session")).json()) as { csrfToken: string }).csrfToken;
  const login = await ctx.post("/api/auth/login", {
    data: { username: user, password },
    headers: { "x-csrf-token": await session() },
  });
  if (!login.ok()) throw new Error(`sign-in failed: HTTP ${login.status()} ${await login.text()}`);
  return session();
}

/** Of `names`, the services whose status is not `status` yet (the API's view). */
export async function servicesNotYet(
  api: APIRequestContext,
  names: string[],
  status: string,
): Promise<string[]> {
  const body = (await (await api.get("/api/services")).json()) as {
    services: { name: string; status: string }[];
  };
  return names.filter((n) => body.services.find((s) => s.name === n)?.status !== status);
}

/**
 * An API context signed in as the own Vigil's admin, its cookies saved to `authPath` for the
 * spec's browser (test.use storageState), after it asked to start every service: the caller polls
 * servicesNotYet until its stack is up.
 */
export async function signInAndStartAll(opts: {
  base: string;
  user: string;
  password: string;
  authPath: string;
}): Promise<APIRequestContext> {
  const api = await request.newContext({
    baseURL: opts.base,
    extraHTTPHeaders: { origin: opts.base },
    // Not the spec's own storage state: that file is written from this context below.
    storageState: { cookies: [], origins: [] },
  });
  const csrf = await signIn(api, opts.user, opts.password);
  await api.storageState({ path: opts.authPath });
  const start = await api.post("/api/actions", {
    data: { kind: "start", targets: [] },
    headers: { "x-csrf-token": csrf },
  });
  if (start.status() !== 202) throw new Error(`start all: HTTP ${start.status()} ${await start.text()}`);
  return api;
}

/** Drops the own Vigil's throwaway database (best effort) and removes its state directory. */
export function removeOwnLeftovers(db: string, stateDir: string): void {
  try {
    execFileSync(process.execPath, ["e2e/db.mjs", "drop", db], { cwd: webDir, stdio: "pipe" });
  } catch {
    // best effort: a leftover vigil_e2e_* database is harmless
  }
  rmSync(stateDir, { recursive: true, force: true });
}
