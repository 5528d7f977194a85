import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema, type DockerServiceConfig } from "../config/schema.ts";
import { dockerClient } from "../docker/client.ts";
import { createEngine } from "../engine/engine.ts";
import { tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, dockerCli, dockerQuiet, TEST_IMAGE_V1 } from "../testing/docker.ts";
import { ensureNetworks } from "./docker-resources.ts";

/*
 * Top-level volumes and networks with driver, driver_opts and labels (compose's keys, issue 15)
 * against the real engine: Vigil creates them with what was asked, labels them as its own on top
 * of the user's labels, and a stop leaves them in place.
 */

describe.skipIf(!dockerAvailable())("volume and network drivers, options and labels (real engine)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });
  const projectName = () => `vn${process.pid}x${Math.floor(Math.random() * 1e6)}`;

  it("creates a volume with its driver, driver_opts and labels, and a stop keeps it", async () => {
    const project = projectName();
    const volume = `${project}_data`;
    cleanups.push(() => {
      for (const id of dockerQuiet("ps", "-aq", "--filter", `label=vigil.project=${project}`).split("\n"))
        if (id) dockerQuiet("rm", "-f", id);
      dockerQuiet("volume", "rm", volume);
    });
    const config = ConfigSchema.parse({
      project,
      services: {
        db: {
          kind: "docker",
          image: TEST_IMAGE_V1,
          network: "none",
          command: "sleep 600",
          stop_grace: "1s",
          volumes: ["data:/data"],
          named_volumes: {
            data: {
              driver: "local",
              driver_opts: { type: "tmpfs", device: "tmpfs", o: "size=8m" },
              labels: { team: "db", "vigil.project": "not-mine" },
            },
          },
        },
      },
    });
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: () => {},
      monitorChecks: false,
    });
    cleanups.push(() => engine.close({ stopServices: true }));
    await engine.ready;
    expect(await engine.start(["db"]).done).toMatchObject({ result: "succeeded" });
    const inspected = JSON.parse(dockerCli("volume", "inspect", volume))[0];
    expect(inspected.Driver).toBe("local");
    expect(inspected.Options).toEqual({ type: "tmpfs", device: "tmpfs", o: "size=8m" });
    expect(inspected.Labels).toMatchObject({ team: "db", "vigil.project": project, "vigil.volume": "data" });
    // tmpfs of 8 MiB: the options reached the mount inside the container.
    expect(dockerCli("exec", `vigil-${project}-db`, "sh", "-c", "df -k /data | tail -1")).toMatch(/\s8192\s/);
    expect(await engine.stop(["db"]).done).toMatchObject({ result: "succeeded" });
    expect(dockerCli("volume", "inspect", "-f", "{{.Name}}", volume)).toBe(volume);
  });

  it("creates a network with its driver, options and labels", async () => {
    const project = projectName();
    const network = `${project}_back`;
    cleanups.push(() => void dockerQuiet("network", "rm", network));
    const service = ConfigSchema.parse({
      project,
      services: {
        api: {
          kind: "docker",
          image: TEST_IMAGE_V1,
          networks: ["back"],
          named_networks: {
            back: {
              driver: "bridge",
              driver_opts: { "com.docker.network.driver.mtu": 1400 },
              labels: { tier: "back" },
            },
          },
        },
      },
    }).services.api as DockerServiceConfig;
    await ensureNetworks(dockerClient(), project, service);
    const inspected = JSON.parse(dockerCli("network", "inspect", network))[0];
    expect(inspected.Driver).toBe("bridge");
    expect(inspected.Options).toMatchObject({ "com.docker.network.driver.mtu": "1400" });
    expect(inspected.Labels).toMatchObject({
      tier: "back",
      "vigil.project": project,
      "vigil.network": "back",
    });
  });
});
