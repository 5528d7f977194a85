import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../engine/engine.ts";
import type { EngineEvent } from "../../events.ts";
import { freePort, tempStateDir, until } from "../../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, dockerCli, dockerQuiet, TEST_IMAGE_V1 } from "../../testing/docker.ts";
import { loadConfig } from "../load.ts";

/* Compose stacks from the corpus, run on the local engine as `vigil --config compose.yaml` runs them. */

const corpus = join(dirname(fileURLToPath(import.meta.url)), "corpus");
const docker = dockerCli;
const quiet = dockerQuiet;

describe.skipIf(!dockerAvailable())("compose stacks on the local engine", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  async function open(
    file: string,
    environ: Record<string, string>,
    env?: string,
    stateDir = tempStateDir(),
  ) {
    const project = `vc${process.pid}x${Math.floor(Math.random() * 1e6)}`;
    const load = (e: string | undefined) =>
      loadConfig({
        path: join(corpus, file),
        environ: { COMPOSE_PROJECT_NAME: project, ...environ },
        ...(e ? { env: e } : {}),
      });
    const { config } = await load(env);
    const events: EngineEvent[] = [];
    const engine = createEngine({ config, stateDir, onEvent: (e) => events.push(e), monitorChecks: false });
    cleanups.push(async () => {
      await engine.close({ stopServices: false });
      for (const id of quiet("ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`).split(
        "\n",
      )) {
        if (id) quiet("rm", "-f", id);
      }
      for (const v of quiet(
        "volume",
        "ls",
        "-q",
        "--filter",
        `label=com.docker.compose.project=${project}`,
      ).split("\n")) {
        if (v) quiet("volume", "rm", v);
      }
    });
    await engine.ready;
    const steps = (service: string, state: string) =>
      events.findIndex((e) => e.type === "action.step" && e.service === service && e.state === state);
    return { project, config, engine, events, steps };
  }

  it("run-chain: starts in order gated on health, restarts a killed container per policy, stops in reverse", async () => {
    const env = { DB_PORT: String(await freePort()), API_PORT: String(await freePort()) };
    const { project, engine, events, steps } = await open("run-chain/compose.yaml", env);
    expect(await engine.start([]).done).toMatchObject({ result: "succeeded" });
    expect(steps("db", "healthy")).toBeGreaterThan(-1);
    expect(steps("db", "healthy")).toBeLessThan(steps("api", "starting"));
    expect(steps("api", "healthy")).toBeLessThan(steps("worker", "starting"));
    const api = `${project}-api-1`;
    expect(docker("inspect", "-f", '{{index .Config.Labels "com.docker.compose.service"}}', api)).toBe("api");
    await until(() => docker("inspect", "-f", "{{.State.Health.Status}}", api) === "healthy", 20_000);
    docker("kill", api);
    await until(() => events.some((e) => e.type === "service.restarted" && e.service === "api"), 20_000);
    await until(() => docker("inspect", "-f", "{{.State.Running}}", api) === "true", 20_000);
    expect(await (await fetch(`http://127.0.0.1:${env.API_PORT}/`)).text()).toBe("api\n");
    const before = events.length;
    expect(await engine.stop([]).done).toMatchObject({ result: "succeeded" });
    const stopped = events
      .slice(before)
      .flatMap((e) => (e.type === "action.step" && e.state === "stopped" ? [e.service] : []));
    expect(stopped).toEqual(["worker", "api", "db"]);
  });

  it("run-volume: data in a named volume survives restart and a rollback of the image", async () => {
    const { project, engine } = await open("run-volume/compose.yaml", { TAG: "1" });
    expect(await engine.start([]).done).toMatchObject({ result: "succeeded" });
    expect(await engine.restart(["store"]).done).toMatchObject({ result: "succeeded" });
    const v2 = await loadConfig({
      path: join(corpus, "run-volume/compose.yaml"),
      environ: { COMPOSE_PROJECT_NAME: project, TAG: "2" },
    });
    await engine.reload(v2.config);
    expect(await engine.restart(["store"]).done).toMatchObject({ result: "succeeded" });
    expect(await engine.rollback("store").done).toMatchObject({ result: "succeeded" });
    const container = `${project}-store-1`;
    expect(docker("inspect", "-f", "{{.Config.Image}}", container)).toBe(TEST_IMAGE_V1);
    expect(docker("exec", container, "cat", "/data/runs").split("\n")).toHaveLength(4);
    expect(
      docker("volume", "inspect", "-f", '{{index .Labels "com.docker.compose.volume"}}', `${project}_data`),
    ).toBe("data");
  });

  it("run-build: builds ./app through the engine's API and gates the next service on its health", async () => {
    const port = String(await freePort());
    const { project, engine } = await open("run-build/compose.yaml", { WEB_PORT: port });
    // First in the list: runs last, after the containers that use the image are gone.
    cleanups.unshift(() => void quiet("rmi", `${project}-web`));
    expect(await engine.start([]).done).toMatchObject({ result: "succeeded" });
    expect(docker("inspect", "-f", "{{.Config.Image}}", `${project}-web-1`)).toBe(`${project}-web`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("built-by-vigil\n");
    expect(docker("logs", `${project}-probe-1`)).toContain("built-by-vigil");
  });

  it("adopts the container a previous `docker compose up` made (same name and labels), no duplicate", async () => {
    const env = { DB_PORT: String(await freePort()), API_PORT: String(await freePort()) };
    const project = `vc${process.pid}x${Math.floor(Math.random() * 1e6)}`;
    // Made the way `docker compose up` names and labels it (no compose binary on this machine).
    const id = docker(
      "run",
      "-d",
      "--name",
      `${project}-db-1`,
      "--network",
      "host",
      "--label",
      `com.docker.compose.project=${project}`,
      "--label",
      "com.docker.compose.service=db",
      TEST_IMAGE_V1,
      "sh",
      "-c",
      `mkdir -p /www && echo db > /www/index.html && exec httpd -f -p ${env.DB_PORT} -h /www`,
    );
    const config = (
      await loadConfig({
        path: join(corpus, "run-chain/compose.yaml"),
        environ: { COMPOSE_PROJECT_NAME: project, ...env },
      })
    ).config;
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: () => {},
      monitorChecks: false,
    });
    cleanups.push(async () => {
      await engine.close({ stopServices: false });
      for (const c of quiet("ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`).split(
        "\n",
      )) {
        if (c) quiet("rm", "-f", c);
      }
    });
    await engine.ready;
    expect(engine.snapshot().find((s) => s.name === "db")?.runtime).toMatchObject({
      state: "running",
      containerId: id,
    });
    expect(await engine.start(["db"]).done).toMatchObject({ result: "succeeded" });
    expect(
      quiet(
        "ps",
        "-aq",
        "--filter",
        `label=com.docker.compose.service=db`,
        "--filter",
        `label=com.docker.compose.project=${project}`,
      ),
    ).toBe(id.slice(0, 12));
  });
});
