import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../control/testing/processes.ts";

/*
 * Real Vigil instances for cluster tests: server.ts run by node itself (`--import tsx`, not the
 * tsx wrapper), so a SIGKILL hits the instance and nothing is left to clean up after it.
 */

export interface Instance {
  name: string;
  child: ChildProcess;
  output(): string;
  /** kill -9: no shutdown, no lease release — the crash a cluster must survive. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export function startInstance(
  name: string,
  config: string,
  stateDir: string,
  env: Record<string, string>,
): Instance {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "apps/web/server.ts"), "--config", config],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        HOST: "127.0.0.1",
        PORT: "0",
        VIGIL_NO_UI: "1",
        VIGIL_CLUSTER: "1",
        VIGIL_NODE_NAME: name,
        VIGIL_STATE_DIR: stateDir,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const add = (c: Buffer) => {
    output += c.toString();
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    output: () => output,
    async crash() {
      if (!running()) return;
      child.kill("SIGKILL");
      await gone;
    },
    async stop() {
      if (!running()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
