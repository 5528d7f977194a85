import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent } from "../events.ts";
import { tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, dockerCli, dockerQuiet, TEST_IMAGE_V1, TEST_IMAGE_V2 } from "../testing/docker.ts";

/*
 * The docker runner against the real engine, through a real engine (graph, monitor, policy):
 * honest exits, Docker's restart policy beside Vigil's, volumes, networks, healthchecks, builds.
 */

const docker = dockerCli;
const tryDocker = dockerQuiet;

describe.skipIf(!dockerAvailable())("docker runner parity (real engine)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  function project() {
    const name = `vp${process.pid}x${Math.floor(Math.random() * 1e6)}`;
    cleanups.push(() => {
      for (const id of tryDocker("ps", "-aq", "--filter", `label=vigil.project=${name}`).split("\n")) {
        if (id) tryDocker("rm", "-f", id);
      }
      for (const v of tryDocker("volume", "ls", "-q", "--filter", `label=vigil.project=${name}`).split(
        "\n",
      )) {
        if (v) tryDocker("volume", "rm", v);
      }
      for (const n of tryDocker("network", "ls", "-q", "--filter", `label=vigil.project=${name}`).split(
        "\n",
      )) {
        if (n) tryDocker("network", "rm", n);
      }
    });
    return name;
  }

  function open(name: string, services: Record<string, unknown>, stateDir = tempStateDir()) {
    const events: EngineEvent[] = [];
    const config = ConfigSchema.parse({ project: name, services });
    const engine = createEngine({ config, stateDir, onEvent: (e) => events.push(e), monitorChecks: false });
    cleanups.push(() => engine.close({ stopServices: false }));
    const runtime = (svc: string) => engine.snapshot().find((s) => s.name === svc);
    return { engine, events, stateDir, runtime };
  }

  const box = (extra: Record<string, unknown> = {}) => ({
    kind: "docker",
    image: TEST_IMAGE_V1,
    command: "sleep 600",
    stop_grace: "1s",
    restart: { policy: "on-failure", max_retries: 3, backoff: { initial: "100ms" } },
    ...extra,
  });

  it("a docker kill reads as an unexpected exit with code 137 and Vigil restarts it per policy", async () => {
    const name = project();
    const { engine, events, runtime } = open(name, { box: box() });
    await engine.ready;
    expect(await engine.start(["box"]).done).toMatchObject({ result: "succeeded" });
    const container = `vigil-${name}-box`;
    expect(
      docker(
        "inspect",
        "-f",
        "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}",
        container,
      ),
    ).toBe("on-failure:3");
    const before = docker("inspect", "-f", "{{.State.StartedAt}}", container);
    docker("kill", container);
    await until(() => events.some((e) => e.type === "service.restarted" && e.service === "box"), 15_000);
    const restarted = events.find((e) => e.type === "service.restarted");
    expect(restarted).toMatchObject({ attempt: 1, reason: "exited with code 137" });
    await until(() => runtime("box")?.runtime.state === "running", 15_000);
    expect(docker("inspect", "-f", "{{.State.Running}}", container)).toBe("true");
    expect(docker("inspect", "-f", "{{.State.StartedAt}}", container)).not.toBe(before);
  });

  it("a container killed while no Vigil ran is found exited (with its code) and restarted on attach", async () => {
    const name = project();
    const stateDir = tempStateDir();
    const first = open(name, { box: box() }, stateDir);
    await first.engine.ready;
    expect(await first.engine.start(["box"]).done).toMatchObject({ result: "succeeded" });
    await first.engine.close({ stopServices: false });
    docker("kill", `vigil-${name}-box`);
    const second = open(name, { box: box({ restart: "no" }) }, stateDir);
    await second.engine.ready;
    expect(second.runtime("box")).toMatchObject({
      status: "unhealthy",
      reason: "exited unexpectedly (exit code 137)",
      runtime: { state: "exited", exitCode: 137 },
    });
    await second.engine.close({ stopServices: false });
    const third = open(name, { box: box() }, stateDir);
    await third.engine.ready;
    await until(() => third.runtime("box")?.runtime.state === "running", 15_000);
    // A stop through Vigil is a stop, not an exit, for the next Vigil too.
    expect(await third.engine.stop(["box"]).done).toMatchObject({ result: "succeeded" });
    await third.engine.close({ stopServices: false });
    const fourth = open(name, { box: box() }, stateDir);
    await fourth.engine.ready;
    expect(fourth.runtime("box")).toMatchObject({ status: "stopped", runtime: { state: "stopped" } });
  });

  it("an OOM kill is reported as out of memory, with its limit", async () => {
    const name = project();
    const { engine, runtime } = open(name, {
      hog: box({
        command: "sleep 0.5; busybox dd if=/dev/zero of=/dev/null bs=64M count=1",
        resources: { memory: "16m" },
        restart: "no",
      }),
    });
    await engine.ready;
    expect(await engine.start(["hog"]).done).toMatchObject({ result: "succeeded" });
    await until(() => runtime("hog")?.runtime.state === "exited", 15_000);
    expect(runtime("hog")).toMatchObject({
      reason: "killed: out of memory, limit 16 MiB (kernel OOM killer)",
      runtime: { exitCode: 137, exitReason: "killed: out of memory, limit 16 MiB (kernel OOM killer)" },
    });
  });

  it("a crash Docker restarts itself is followed and counted, never started twice", async () => {
    const name = project();
    const { engine, events, runtime } = open(name, {
      flaky: box({ command: "sleep 1; exit 3", restart: "on-failure:1" }),
    });
    await engine.ready;
    expect(await engine.start(["flaky"]).done).toMatchObject({ result: "succeeded" });
    const container = `vigil-${name}-flaky`;
    const id = docker("inspect", "-f", "{{.Id}}", container);
    await until(() => events.some((e) => e.type === "service.restarted"), 15_000);
    expect(events.find((e) => e.type === "service.restarted")).toMatchObject({
      attempt: 1,
      reason: "exited with code 3; restarted by Docker (the container's restart policy)",
    });
    // Docker gives up after its one retry; Vigil's count is spent too, so it stays down.
    await until(
      () => docker("inspect", "-f", "{{.RestartCount}}:{{.State.Status}}", container) === "1:exited",
      20_000,
    );
    await until(() => runtime("flaky")?.runtime.state === "exited", 15_000);
    expect(docker("inspect", "-f", "{{.Id}}", container)).toBe(id);
    expect(events.filter((e) => e.type === "service.restarted")).toHaveLength(1);
  });

  it("data in a named volume survives restart and rollback; stop and rollback keep the volume", async () => {
    const name = project();
    const write = { volumes: ["data:/data"], command: "echo run >> /data/runs; sleep 600", restart: "no" };
    const { engine } = open(name, { db: box(write) });
    await engine.ready;
    expect(await engine.start(["db"]).done).toMatchObject({ result: "succeeded" });
    expect(docker("volume", "inspect", "-f", '{{index .Labels "vigil.volume"}}', `${name}_data`)).toBe(
      "data",
    );
    expect(await engine.restart(["db"]).done).toMatchObject({ result: "succeeded" });
    await engine.reload(
      ConfigSchema.parse({ project: name, services: { db: box({ ...write, image: TEST_IMAGE_V2 }) } }),
    );
    expect(await engine.restart(["db"]).done).toMatchObject({ result: "succeeded" });
    expect(docker("inspect", "-f", "{{.Config.Image}}", `vigil-${name}-db`)).toBe(TEST_IMAGE_V2);
    expect(await engine.rollback("db").done).toMatchObject({ result: "succeeded" });
    expect(docker("inspect", "-f", "{{.Config.Image}}", `vigil-${name}-db`)).toBe(TEST_IMAGE_V1);
    expect(await engine.stop(["db"]).done).toMatchObject({ result: "succeeded" });
    const runs = docker(
      "run",
      "--rm",
      "-v",
      `${name}_data:/data`,
      TEST_IMAGE_V1,
      "sh",
      "-c",
      "cat /data/runs",
    );
    expect(runs.split("\n").length).toBe(4);
  });

  it("a healthcheck set on the container makes Docker's own health reach healthy", async () => {
    const name = project();
    const { engine } = open(name, {
      web: box({
        command: "mkdir -p /tmp/ok; sleep 600",
        healthcheck: {
          test: "test -d /tmp/ok",
          interval: "500ms",
          timeout: "2s",
          retries: 3,
          start_period: "1s",
        },
      }),
    });
    await engine.ready;
    expect(await engine.start(["web"]).done).toMatchObject({ result: "succeeded" });
    const container = `vigil-${name}-web`;
    expect(JSON.parse(docker("inspect", "-f", "{{json .Config.Healthcheck}}", container))).toMatchObject({
      Test: ["CMD-SHELL", "test -d /tmp/ok"],
      Interval: 500_000_000,
      Retries: 3,
    });
    await until(() => docker("inspect", "-f", "{{.State.Health.Status}}", container) === "healthy", 20_000);
  });

  it("builds from a local Dockerfile through the engine's API, with args and target", async () => {
    const name = project();
    const dir = mkdtempSync(join(tmpdir(), "vigil-build-"));
    writeFileSync(
      join(dir, "Dockerfile.vigil"),
      `FROM ${TEST_IMAGE_V1} AS base\nARG GREETING=none\nRUN echo "$GREETING" > /greeting\nFROM base AS final\nRUN echo final > /stage\n`,
    );
    const { engine } = open(name, {
      built: box({
        image: undefined,
        build: {
          context: dir,
          dockerfile: "Dockerfile.vigil",
          args: { GREETING: "hello-build" },
          target: "base",
        },
        restart: "no",
      }),
    });
    await engine.ready;
    expect(await engine.start(["built"]).done).toMatchObject({ result: "succeeded" });
    const container = `vigil-${name}-built`;
    const image = docker("inspect", "-f", "{{.Config.Image}}", container);
    // First in the list: runs last, after the container that uses the image is gone.
    cleanups.unshift(() => void tryDocker("rmi", image));
    expect(image).toMatch(/^vigil-build\/[0-9a-f]{12}:latest$/);
    expect(docker("exec", container, "cat", "/greeting")).toBe("hello-build");
    expect(tryDocker("exec", container, "cat", "/stage")).toBe("");
  });

  it("creates a labelled named network and attaches the container with its aliases", async () => {
    const name = project();
    const { engine } = open(name, {
      api: box({ networks: { backend: { aliases: ["api.internal"] } }, restart: "no" }),
    });
    await engine.ready;
    expect(await engine.start(["api"]).done).toMatchObject({ result: "succeeded" });
    const network = `${name}_backend`;
    expect(docker("network", "inspect", "-f", '{{index .Labels "vigil.network"}}', network)).toBe("backend");
    const aliases = JSON.parse(
      docker(
        "inspect",
        "-f",
        `{{json (index .NetworkSettings.Networks "${network}").Aliases}}`,
        `vigil-${name}-api`,
      ),
    ) as string[];
    expect(aliases).toEqual(expect.arrayContaining(["api", "api.internal"]));
    expect(await engine.stop(["api"]).done).toMatchObject({ result: "succeeded" });
    expect(docker("network", "inspect", "-f", "{{.Name}}", network)).toBe(network);
  });
});
