import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { dockerClient } from "../docker/client.ts";
import type { EngineEvent } from "../events.ts";
import { freePort, service, tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, TEST_IMAGE_V1, TEST_IMAGE_V2 } from "../testing/docker.ts";
import { createDockerRunner } from "./docker.ts";
import type { ExitInfo } from "./types.ts";

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

describe.skipIf(!dockerAvailable())("docker runner", () => {
  const containers: string[] = [];
  afterEach(() => {
    for (const name of containers.splice(0)) {
      try {
        docker("rm", "-f", name);
      } catch {
        // already gone
      }
    }
  });

  async function setup(image = TEST_IMAGE_V1) {
    const port = await freePort();
    const name = `vigil-test-${process.pid}-${port}`;
    containers.push(name);
    const events: EngineEvent[] = [];
    const exits: ExitInfo[] = [];
    const runner = createDockerRunner({
      project: "t",
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      onExit: (x) => exits.push(x),
    });
    const svc = (img = image) =>
      service({
        kind: "docker",
        image: img,
        container_name: name,
        command: `echo hello-out; echo hello-err >&2; exec httpd -f -p ${port} -h /www`,
        env: { GREETING: "hi" },
        stop_grace: "1s",
        resources: { cpus: 0.5, memory: "64m", reservations: { memory: "32m" } },
      });
    return { port, name, events, exits, runner, svc };
  }

  it("creates a labelled, limited container on the host network, streams logs and stats, stops it", async () => {
    const { port, name, events, exits, runner, svc } = await setup();
    try {
      const status = await runner.start("web", svc());
      expect(status).toMatchObject({ state: "running", revision: TEST_IMAGE_V1 });
      const info = await dockerClient().getContainer(name).inspect();
      expect(info.Config.Labels).toMatchObject({
        "vigil.project": "t",
        "vigil.service": "web",
        "vigil.revision": TEST_IMAGE_V1,
      });
      expect(info.HostConfig).toMatchObject({
        NetworkMode: "host",
        NanoCpus: 5e8,
        Memory: 64 * 1024 ** 2,
        MemoryReservation: 32 * 1024 ** 2,
      });
      expect(info.Config.Env).toContain("GREETING=hi");
      await until(() => runner.logs("web").includes("hello-err"), 10_000);
      const logs = events.filter((e) => e.type === "service.log");
      expect(logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ stream: "stdout", line: "hello-out" }),
          expect.objectContaining({ stream: "stderr", line: "hello-err" }),
        ]),
      );
      const body = await (await fetch(`http://127.0.0.1:${port}/version`)).text();
      expect(body.trim()).toBe("vigil-busybox-1");
      await until(() => events.some((e) => e.type === "service.resources"), 15_000);
      const sample = events.find((e) => e.type === "service.resources");
      expect(sample).toMatchObject({ service: "web" });
      const stopped = await runner.stop("web", svc());
      expect(stopped.state).toBe("stopped");
      expect(exits).toEqual([expect.objectContaining({ service: "web", requested: true })]);
    } finally {
      await runner.close();
    }
  });

  it("adopts a running container with the same name and replaces it when the image differs", async () => {
    const { port, name, runner, svc } = await setup();
    try {
      const id = docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        TEST_IMAGE_V1,
        "httpd",
        "-f",
        "-p",
        String(port),
        "-h",
        "/www",
      );
      const adopted = await runner.start("web", svc());
      expect(adopted).toMatchObject({ state: "running", containerId: id, adopted: true });
      const replaced = await runner.start("web", svc(TEST_IMAGE_V2));
      expect(replaced.containerId).not.toBe(id);
      expect(docker("inspect", "-f", "{{.Config.Image}}", name)).toBe(TEST_IMAGE_V2);
      await until(() => runner.logs("web").includes("hello-out"), 10_000);
    } finally {
      await runner.close();
    }
  });

  it("reports an unrequested container exit", async () => {
    const { name, exits, runner } = await setup();
    const svc = service({
      kind: "docker",
      image: TEST_IMAGE_V1,
      container_name: name,
      command: "sleep 0.3; exit 5",
    });
    try {
      await runner.start("job", svc);
      await until(() => exits.length === 1, 15_000);
      expect(exits[0]).toMatchObject({ service: "job", code: 5, requested: false });
    } finally {
      await runner.close();
    }
  });
});
