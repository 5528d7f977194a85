import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent } from "../events.ts";
import { tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, dockerCli, dockerQuiet, TEST_IMAGE_V1 } from "../testing/docker.ts";

/*
 * External volumes and networks (compose's `external: true`, issue 15) against the real engine:
 * an existing one is used as it is and never labelled; a missing volume stops the start with an
 * error that names it, and Vigil creates nothing.
 */

describe.skipIf(!dockerAvailable())("external volumes and networks (real engine)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  function setup(volume: string, extra: Record<string, unknown> = {}) {
    const project = `vx${process.pid}x${Math.floor(Math.random() * 1e6)}`;
    cleanups.push(() => {
      for (const id of dockerQuiet("ps", "-aq", "--filter", `label=vigil.project=${project}`).split("\n"))
        if (id) dockerQuiet("rm", "-f", id);
      dockerQuiet("volume", "rm", volume);
    });
    const events: EngineEvent[] = [];
    const config = ConfigSchema.parse({
      project,
      services: {
        db: {
          kind: "docker",
          image: TEST_IMAGE_V1,
          command: "echo hello > /data/greeting; sleep 600",
          stop_grace: "1s",
          restart: "no",
          volumes: ["data:/data"],
          named_volumes: { data: { name: volume, external: true } },
          ...extra,
        },
      },
    });
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      monitorChecks: false,
    });
    cleanups.push(() => engine.close({ stopServices: true }));
    return { engine, events, project };
  }

  it("mounts an existing external volume as it is and leaves it unlabelled", async () => {
    const volume = `vigil-ext-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
    dockerCli("volume", "create", volume);
    const { engine, project } = setup(volume);
    await engine.ready;
    expect(await engine.start(["db"]).done).toMatchObject({ result: "succeeded" });
    const container = `vigil-${project}-db`;
    expect(dockerCli("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", container)).toBe(volume);
    expect(dockerCli("volume", "inspect", "-f", "{{json .Labels}}", volume)).toMatch(/^(null|\{\})$/);
    expect(dockerQuiet("volume", "inspect", `${project}_data`)).toBe("");
  });

  it("refuses to start on a missing external volume, naming it, and creates none", async () => {
    const volume = `vigil-missing-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
    const { engine, events } = setup(volume);
    await engine.ready;
    expect(await engine.start(["db"]).done).toMatchObject({ result: "failed" });
    expect(JSON.stringify(events)).toContain(
      `volume \\"${volume}\\" (volumes: data) is external but does not exist: create it first (docker volume create ${volume})`,
    );
    expect(dockerQuiet("volume", "inspect", volume)).toBe("");
  });

  it("attaches the container to an existing external network as it is, unlabelled", async () => {
    const volume = `vigil-ext-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
    const network = `vigil-extnet-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
    dockerCli("volume", "create", volume);
    dockerCli("network", "create", network);
    cleanups.push(() => void dockerQuiet("network", "rm", network));
    const { engine, project } = setup(volume, {
      networks: ["shared"],
      named_networks: { shared: { name: network, external: true } },
    });
    await engine.ready;
    expect(await engine.start(["db"]).done).toMatchObject({ result: "succeeded" });
    const attached = dockerCli(
      "inspect",
      "-f",
      "{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}",
      `vigil-${project}-db`,
    );
    expect(attached).toBe(network);
    expect(dockerCli("network", "inspect", "-f", "{{json .Labels}}", network)).toMatch(/^(null|\{\})$/);
    expect(dockerQuiet("network", "inspect", `${project}_shared`)).toBe("");
  });
});
