import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { removeContainer, runHttpdContainer, uniqueName } from "../testing/container.ts";
import { dockerAvailable } from "../testing/docker.ts";
import { closedPort } from "../testing/http-server.ts";
import { waitFor } from "../testing/wait.ts";
import { CommandCheck } from "./command.ts";
import { DockerCheck } from "./docker.ts";
import { runCheck } from "./run.ts";

const names: string[] = [];
afterAll(() => {
  for (const name of names) removeContainer(name);
});

async function container(
  opts: Parameters<typeof runHttpdContainer>[2] = {},
): Promise<{ name: string; port: number }> {
  const name = uniqueName("vigil-probe");
  names.push(name);
  const port = await closedPort();
  runHttpdContainer(name, port, opts);
  return { name, port };
}

const docker = (container: string) => DockerCheck.parse({ kind: "docker", container });

describe.skipIf(!dockerAvailable())("docker probes (real dockerd)", () => {
  it("follows the container's own HEALTHCHECK: starting, then healthy", async () => {
    const { name } = await container();
    const first = await runCheck(docker(name), { timeoutMs: 10_000 });
    // Either still starting or already healthy, never anything else.
    if (first.status === "unhealthy") expect(first.message).toBe("container health: starting");
    let last = first;
    expect(
      await waitFor(
        async () => {
          last = await runCheck(docker(name), { timeoutMs: 10_000 });
          return last.status === "healthy";
        },
        30_000,
        500,
      ),
    ).toBe(true);
    expect(last.message).toBe(`container ${name} running, health: healthy`);
    expect(last.details).toMatchObject({ container: name, state: "running", health: "healthy" });
  });

  it("reports starting while the first health check has not run", async () => {
    const { name } = await container({ healthCmd: "exit 0", healthInterval: "5m" });
    const result = await runCheck(docker(name), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: "unhealthy", message: "container health: starting" });
    const ignoring = await runCheck({ ...docker(name), use_healthcheck: false }, { timeoutMs: 10_000 });
    expect(ignoring).toMatchObject({ status: "healthy", message: `container ${name} running` });
    // Its restart count is a value, and a condition on it degrades the check.
    expect(ignoring.values).toEqual({ restarts: 0 });
    const strict = {
      ...docker(name),
      use_healthcheck: false,
      expect: DockerCheck.shape.expect.parse({ restarts: "> 0" }),
    };
    expect(await runCheck(strict, { timeoutMs: 10_000 })).toMatchObject({
      status: "degraded",
      message: `restarts 0 is not > 0 (container ${name} running)`,
    });
  });

  it("reports an unhealthy container with its last health log output", async () => {
    const { name } = await container({ healthCmd: "echo db-not-ready; exit 1" });
    let last = await runCheck(docker(name), { timeoutMs: 10_000 });
    expect(
      await waitFor(
        async () => {
          last = await runCheck(docker(name), { timeoutMs: 10_000 });
          return last.message.startsWith("container health: unhealthy");
        },
        30_000,
        500,
      ),
    ).toBe(true);
    expect(last).toMatchObject({ status: "unhealthy", message: "container health: unhealthy: db-not-ready" });
  });

  it("reports a stopped container and a missing one", async () => {
    const { name } = await container();
    execFileSync("docker", ["stop", "-t", "0", name], { stdio: "ignore", timeout: 30_000 });
    const stopped = await runCheck(docker(name), { timeoutMs: 10_000 });
    expect(stopped.status).toBe("unhealthy");
    expect(stopped.message).toMatch(new RegExp(`^container ${name} is exited \\(exit \\d+\\)$`));
    const missing = await runCheck(docker(`${name}-missing`), { timeoutMs: 10_000 });
    expect(missing.status).toBe("unhealthy");
    expect(missing.message).toContain("No such container");
  });

  it("runs a command inside the container with docker exec, resolving the service's container", async () => {
    const { name } = await container();
    const spec = CommandCheck.parse({ kind: "command", container: "web", command: "cat /www/index.html" });
    const ok = await runCheck(spec, {
      timeoutMs: 10_000,
      containerFor: (s) => (s === "web" ? name : undefined),
    });
    expect(ok).toMatchObject({ status: "healthy", message: "exit 0: ok" });
    const bad = await runCheck(
      CommandCheck.parse({ kind: "command", container: name, command: "echo nope; exit 4", env: { A: "1" } }),
      { timeoutMs: 10_000 },
    );
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toBe(`command "echo nope; exit 4" in ${name} exited 4 (expected 0): nope`);
  });
});
