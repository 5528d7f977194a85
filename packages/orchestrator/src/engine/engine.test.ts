import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { alive, freePort, httpService, tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, TEST_IMAGE_V1 } from "../testing/docker.ts";
import { waitFor } from "../testing/wait.ts";
import { createEngine, type Engine } from "./engine.ts";

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();

describe("engine", () => {
  const engines: Engine[] = [];
  const containers: string[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0).reverse())
      await engine.close({ stopServices: true }).catch(() => {});
    for (const name of containers.splice(0)) {
      try {
        docker("rm", "-f", name);
      } catch {
        // already gone
      }
    }
  });

  it("attaches to services a previous Vigil left running instead of starting them twice", async () => {
    const port = await freePort();
    const withDocker = dockerAvailable();
    const webPort = await freePort();
    const project = `attach${process.pid}`;
    if (withDocker) containers.push(`vigil-${project}-web`);
    const config = ConfigSchema.parse({
      project,
      services: {
        api: httpService(port),
        ...(withDocker
          ? {
              web: {
                kind: "docker",
                image: TEST_IMAGE_V1,
                command: `exec httpd -f -p ${webPort} -h /www`,
                stop_grace: "1s",
              },
            }
          : {}),
      },
    });
    const stateDir = tempStateDir();
    const events: EngineEvent[] = [];
    const first = createEngine({ config, stateDir, onEvent: (e) => events.push(e), monitorChecks: false });
    expect((await first.start().done).result).toBe("succeeded");
    // Healthy can come before its stdout line is read from the pipe (a loaded machine): wait for it.
    const listening = `listening on ${port}`;
    expect(await waitFor(() => first.logs("api").some((line) => line.includes(listening)))).toBe(true);
    const before = Object.fromEntries(first.snapshot().map((s) => [s.name, s.runtime]));
    await first.close(); // Vigil restarting must not kill the stack.
    const pid = before.api?.pid ?? 0;
    expect(alive(pid)).toBe(true);

    const second = createEngine({ config, stateDir, onEvent: () => {}, monitorChecks: false });
    engines.push(second);
    await second.ready;
    const after = Object.fromEntries(second.snapshot().map((s) => [s.name, s.runtime]));
    expect(after.api).toMatchObject({ state: "running", pid });
    if (withDocker)
      expect(after.web).toMatchObject({ state: "running", containerId: before.web?.containerId });
    const again = await second.start().done;
    expect(Object.values(again.services).every((s) => s === "skipped")).toBe(true);

    await second.close({ stopServices: true });
    expect(alive(pid)).toBe(false);
    if (withDocker)
      expect(docker("inspect", "-f", "{{.State.Running}}", `vigil-${project}-web`)).toBe("false");
  });

  it("exposes the graph, recent actions and unknown services as clear errors", async () => {
    const config = ConfigSchema.parse({
      services: {
        a: httpService(await freePort()),
        b: { ...httpService(await freePort()), depends_on: ["a"] },
      },
    });
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: () => {},
      monitorChecks: false,
    });
    engines.push(engine);
    expect(engine.graph().waves()).toEqual([["a"], ["b"]]);
    const action = engine.start(["b"]);
    expect(engine.action(action.actionId)?.plan.waves).toEqual([["a"], ["b"]]);
    await action.done;
    expect(engine.actions()[0]?.outcome?.result).toBe("succeeded");
    expect(engine.actions()[0]?.steps.map((s) => `${s.service}:${s.state}`)).toEqual([
      "a:planned",
      "b:planned",
      "b:waiting",
      "a:starting",
      "a:healthy",
      "b:starting",
      "b:healthy",
    ]);
    expect(() => engine.start(["nope"])).toThrow(/unknown service "nope"/);
  });

  it.skipIf(!dockerAvailable())("applies the restart policy to a container that exits", async () => {
    const project = `policy${process.pid}`;
    containers.push(`vigil-${project}-job`);
    const config = ConfigSchema.parse({
      project,
      services: {
        job: {
          kind: "docker",
          image: TEST_IMAGE_V1,
          command: "sleep 0.3; exit 1",
          stop_grace: "1s",
          restart: { policy: "on-failure", max_retries: 1, backoff: { initial: "50ms" } },
        },
      },
    });
    const events: EngineEvent[] = [];
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      monitorChecks: false,
    });
    engines.push(engine);
    await engine.start().done;
    await waitFor(() => events.some((e) => e.type === "service.restarted"), 20_000);
    expect(events.find((e) => e.type === "service.restarted")).toMatchObject({
      service: "job",
      attempt: 1,
      // The policy is on the container too: Docker restarts the crash itself and Vigil counts it.
      reason: "exited with code 1; restarted by Docker (the container's restart policy)",
    });
  });

  it("with periodic checks on, the snapshot shows started services healthy with runtime facts", async () => {
    const config = ConfigSchema.parse({ services: { a: httpService(await freePort()) } });
    const engine = createEngine({ config, stateDir: tempStateDir(), onEvent: () => {} });
    engines.push(engine);
    expect((await engine.start().done).result).toBe("succeeded");
    const [a] = engine.snapshot();
    expect(a).toMatchObject({ name: "a", status: "healthy", runtime: { state: "running" } });
    expect(a?.runtime.revision).toMatch(/^sha256:/);
  });
});
