import { execFileSync } from "node:child_process";

/**
 * Whether tests that need a real Docker engine can run. Under CI a missing engine is a failure,
 * never a skip, so the suite cannot pass by silently testing less.
 */
export function dockerAvailable(): boolean {
  let ok = false;
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 });
    ok = true;
  } catch {
    ok = false;
  }
  if (!ok && process.env.CI) {
    throw new Error("CI is set but no Docker engine answers: run scripts/ensure-docker.sh first");
  }
  return ok;
}

/** Local test images built by scripts/ensure-docker.sh (no registry is reachable). */
export const TEST_IMAGE_V1 = "vigil/busybox:1";
export const TEST_IMAGE_V2 = "vigil/busybox:2";

/** `docker …` through the CLI, trimmed output (tests look at the engine the way a user would). */
export const dockerCli = (...args: string[]): string =>
  execFileSync("docker", args, { encoding: "utf8" }).trim();

/** Like dockerCli, but "" when the command fails (clean-up of what may already be gone). */
export function dockerQuiet(...args: string[]): string {
  try {
    return dockerCli(...args);
  } catch {
    return "";
  }
}
