import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { TEST_IMAGE_V1 } from "./docker.ts";

/** A unique container name for one test, so parallel runs never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/**
 * Runs the test image serving httpd on host `port`, with a HEALTHCHECK fetching it.
 * `healthCmd` overrides the check (e.g. one that always fails).
 */
export function runHttpdContainer(
  name: string,
  port: number,
  opts: { healthCmd?: string; healthInterval?: string } = {},
): string {
  const cmd = opts.healthCmd ?? `wget -q -O- http://127.0.0.1:${port}/ || exit 1`;
  return execFileSync(
    "docker",
    [
      "run",
      "-d",
      "--network",
      "host",
      "--name",
      name,
      "--health-cmd",
      cmd,
      "--health-interval",
      "1s",
      "--health-retries",
      "1",
      TEST_IMAGE_V1,
      "sh",
      "-c",
      `mkdir -p /www && echo ok >/www/index.html && httpd -f -p ${port} -h /www`,
    ],
    { encoding: "utf8", timeout: 30_000 },
  ).trim();
}

export function removeContainer(name: string): void {
  try {
    execFileSync("docker", ["rm", "-f", name], { stdio: "ignore", timeout: 30_000 });
  } catch {
    // Already gone.
  }
}
