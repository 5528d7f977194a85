import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Cleanup } from "./cleanup.ts";
import { createThrowawayDatabase } from "./pg.ts";
import { freePort } from "./ports.ts";
import { waitUntil } from "./time.ts";
import { ensureWebBuild, serverBundle, webDir } from "./web-build.ts";

/**
 * The built Vigil (`node apps/web/dist/server.js`, production mode) on a free loopback port with
 * the given vigil.yaml, on a throwaway database of the machine's Postgres so it never touches the
 * shared embedded one under .vigil/. Ready once /readyz says so.
 */
export async function startBuiltServer(
  cleanup: Cleanup,
  opts: { configYaml: string; dir: string; env?: Record<string, string> },
): Promise<{ url: string; pid: number; database: string; output: () => string }> {
  const configPath = path.join(opts.dir, "vigil.yaml");
  await writeFile(configPath, opts.configYaml);
  const db = await createThrowawayDatabase("web");
  cleanup.add("web database", () => db.drop());
  const port = await freePort();
  let output = "";
  // The flags `pnpm start` runs the server with (its heap settings shape RSS and GC), then
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") to profile it.
  const nodeArgs = [
    ...(await serveNodeFlags()),
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== ""),
  ];
  const proc = spawn(process.execPath, [...nodeArgs, serverBundle, "--config", configPath], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: db.url,
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  proc.stdout.on("data", keep);
  proc.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  cleanup.add("web server", async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    "the built server's /readyz",
    async () => {
      if (proc.exitCode !== null)
        throw new Error(`server exited (${proc.exitCode}):\n${output.slice(-2000)}`);
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    // BENCH_READY_TIMEOUT_MS: a machine shared with builds and suites can take longer than 2 min.
    Number(process.env.BENCH_READY_TIMEOUT_MS ?? 120_000),
    250,
  );
  return { url, pid: proc.pid ?? -1, database: db.name, output: () => output };
}

/**
 * A usable build, then the server on it; when a rebuild by someone else removes the build between
 * the check and Next's start, waits for the next complete build and tries again (3 attempts).
 */
export async function startOnStableBuild(
  cleanup: Cleanup,
  opts: { configYaml: string; dir: string; env?: Record<string, string> },
): Promise<{ server: Awaited<ReturnType<typeof startBuiltServer>>; note: string }> {
  for (let attempt = 1; ; attempt++) {
    const note = await ensureWebBuild();
    try {
      return { server: await startBuiltServer(cleanup, opts), note };
    } catch (error) {
      const rebuilt = error instanceof Error && /production build/.test(error.message);
      if (!rebuilt || attempt >= 3) throw error;
    }
  }
}

/**
 * Signs in as a user the server was started with (VIGIL_ADMIN_USER / VIGIL_ADMIN_PASSWORD), the
 * way the sign-in page does: the CSRF token (bound to the pre-session nonce cookie) from GET
 * /api/auth/session, then POST /api/auth/login with both. Returns the cookies a browser would then hold.
 */
export async function signIn(
  url: string,
  username: string,
  password: string,
): Promise<{ name: string; value: string; url: string }[]> {
  const cookiesOf = (res: Response) =>
    res.headers.getSetCookie().map((c) => {
      const [pair = ""] = c.split(";");
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url };
    });
  const session = await fetch(`${url}/api/auth/session`, { signal: AbortSignal.timeout(10_000) });
  const preSignIn = cookiesOf(session);
  const csrf = preSignIn.find((c) => c.name === "vigil_csrf");
  if (!csrf) throw new Error(`no CSRF cookie from /api/auth/session (HTTP ${session.status})`);
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: url,
      // Every cookie, not just vigil_csrf: the token is bound to the pre-session nonce cookie.
      cookie: preSignIn.map((c) => `${c.name}=${c.value}`).join("; "),
      "x-csrf-token": decodeURIComponent(csrf.value),
    },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!login.ok) throw new Error(`sign-in failed: HTTP ${login.status} ${await login.text()}`);
  // Cookies the answer expires (the pre-session nonce) are not ones a browser would then hold.
  return cookiesOf(login).filter((c) => c.value !== "");
}

/** The node flags of apps/web's `serve` script (what `pnpm start` runs): one place says them. */
async function serveNodeFlags(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(webDir, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const serve = manifest.scripts.serve ?? "";
  const words = serve.split(/\s+/);
  const afterNode = words.slice(words.indexOf("node") + 1);
  const script = afterNode.findIndex((w) => !w.startsWith("--"));
  return script < 0 ? afterNode : afterNode.slice(0, script);
}
