import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Cleanup } from "./cleanup.ts";
import { createThrowawayDatabase } from "./pg.ts";
import { freePort } from "./ports.ts";
import { waitUntil } from "./time.ts";
import { serverBundle, webDir } from "./web-build.ts";

/**
 * The built Vigil (`node apps/web/dist/server.js`, production mode) on a free loopback port with
 * the given vigil.yaml, on a throwaway database of the machine's Postgres so it never touches the
 * shared embedded one under .vigil/. Ready once /readyz says so.
 */
export async function startBuiltServer(
  cleanup: Cleanup,
  opts: { configYaml: string; dir: string },
): Promise<{ url: string; pid: number; database: string; output: () => string }> {
  const configPath = path.join(opts.dir, "vigil.yaml");
  await writeFile(configPath, opts.configYaml);
  const db = await createThrowawayDatabase("web");
  cleanup.add("web database", () => db.drop());
  const port = await freePort();
  let output = "";
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the measured server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const proc = spawn(process.execPath, [...nodeArgs, serverBundle, "--config", configPath], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: db.url,
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
    120_000,
    250,
  );
  return { url, pid: proc.pid ?? -1, database: db.name, output: () => output };
}
