import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/errors.ts";
import { parseConfigText } from "../config/parse.ts";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent } from "../events.ts";
import { freePort, tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { CheckSchema } from "../probes/registry.ts";
import { runCheck } from "../probes/run.ts";
import { dockerAvailable, dockerQuiet, TEST_IMAGE_V1 } from "../testing/docker.ts";
import { forwardTcp } from "../testing/tcp-forwarder.ts";
import { waitFor } from "../testing/wait.ts";
import { createDockerHosts } from "./hosts.ts";

/*
 * Many Docker hosts (issue 16) against a REAL second engine on this machine, started by
 * scripts/ensure-docker2.sh (own data root, unix socket and loopback TCP port).
 */

const SECOND_SOCKET = "/tmp/vigil-dockerd2/docker.sock";
const SECOND_TCP = "127.0.0.1:23750";
const script = fileURLToPath(new URL("../../../../scripts/ensure-docker2.sh", import.meta.url));
const second = (...args: string[]) => dockerQuiet("-H", `unix://${SECOND_SOCKET}`, ...args);

describe("hosts: in vigil.yaml", () => {
  it("is validated with line:col: a malformed endpoint and a host: naming no entry", () => {
    const text = [
      "hosts:",
      "  edge: { tcp: 'not a port' }",
      "services:",
      "  api: { kind: docker, image: x, host: edge }",
      "",
    ].join("\n");
    expect(() => parseConfigText(text, "vigil.yaml")).toThrow(/vigil\.yaml:2:\d+: hosts\.edge/);
    const unknown =
      "hosts:\n  edge: { tcp: '10.0.0.5:2376' }\nservices:\n  api: { kind: docker, image: x, host: edgy }\n";
    try {
      parseConfigText(unknown, "vigil.yaml");
      throw new Error("loaded");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        'Config error at vigil.yaml:4:40: services.api.host: unknown host "edgy" (hosts: edge)',
      );
    }
  });
});

describe.skipIf(!dockerAvailable())("services on a second Docker engine (real dockerd)", () => {
  beforeAll(() => {
    execFileSync("bash", [script], { stdio: "ignore", timeout: 120_000 });
  }, 130_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  for (const [form, endpoint] of [
    ["tcp", { tcp: SECOND_TCP }],
    ["socket", { socket: SECOND_SOCKET }],
  ] as const) {
    it(`runs, probes and stops a service on the engine its host: names (${form})`, async () => {
      const project = `vh${process.pid}x${Math.floor(Math.random() * 1e6)}`;
      const { config } = parseConfigText(
        JSON.stringify({
          project,
          hosts: { two: endpoint },
          services: {
            api: {
              kind: "docker",
              host: "two",
              image: TEST_IMAGE_V1,
              network: "none",
              command: "sleep 600",
              stop_grace: "1s",
              checks: [{ kind: "docker", interval: "1s" }],
            },
          },
        }),
        "vigil.yaml",
      );
      const container = `vigil-${project}-api`;
      cleanups.push(() => {
        second("rm", "-f", container);
        dockerQuiet("rm", "-f", container);
      });
      const engine = createEngine({ config, stateDir: tempStateDir(), onEvent: () => {} });
      cleanups.push(() => engine.close({ stopServices: true }));
      await engine.ready;
      // The start waits for the docker check: healthy only if the probe asked the second engine.
      expect(await engine.start(["api"]).done).toMatchObject({ result: "succeeded" });
      expect(second("inspect", "-f", "{{.State.Running}}", container)).toBe("true");
      expect(dockerQuiet("inspect", container)).toBe("");
      expect(engine.snapshot().find((s) => s.name === "api")?.status).toBe("healthy");
      expect(await engine.stop(["api"]).done).toMatchObject({ result: "succeeded" });
      expect(second("inspect", "-f", "{{.State.Running}}", container)).toBe("false");
    });
  }

  it("a host that does not answer reads as unreachable, not as a crashed container", async () => {
    const port = await freePort();
    const hosts = createDockerHosts({ gone: { tcp: `127.0.0.1:${port}` } });
    const result = await runCheck(CheckSchema.parse({ kind: "docker" }), {
      timeoutMs: 5000,
      service: "api",
      containerFor: () => "vigil-x-api",
      dockerFor: () => hosts.clientFor("gone"),
    });
    expect(result.status).toBe("unhealthy");
    expect(result.message).toBe(
      `Docker host unreachable (connect ECONNREFUSED 127.0.0.1:${port}): container vigil-x-api not observed`,
    );
    expect(result.details).toMatchObject({ hostUnreachable: true });
  });

  /**
   * An engine on host "edge": the second dockerd reached through a forwarder that can be cut, so the
   * host stops answering while the dockerd itself stays up for other tests.
   */
  async function behindLink(services: (onEdge: Record<string, unknown>) => Record<string, unknown>) {
    const [address = "", port = ""] = SECOND_TCP.split(":");
    const link = await forwardTcp({ host: address, port: Number(port) });
    cleanups.push(() => link.close());
    const project = `vu${process.pid}x${Math.floor(Math.random() * 1e6)}`;
    const onEdge = {
      kind: "docker",
      host: "edge",
      image: TEST_IMAGE_V1,
      network: "none",
      command: "sleep 600",
    };
    const { config } = parseConfigText(
      JSON.stringify({
        project,
        hosts: { edge: { tcp: `127.0.0.1:${link.port}` } },
        services: services(onEdge),
      }),
      "vigil.yaml",
    );
    const containers = Object.keys(config.services).map((name) => `vigil-${project}-${name}`);
    cleanups.push(() => void second("rm", "-f", ...containers));
    const events: EngineEvent[] = [];
    const engine = createEngine({ config, stateDir: tempStateDir(), onEvent: (e) => events.push(e) });
    cleanups.push(() => engine.close({ stopServices: true }));
    await engine.ready;
    return {
      link,
      engine,
      events,
      container: (name: string) => `vigil-${project}-${name}`,
      snap: (name: string) => engine.snapshot().find((s) => s.name === name),
      restarts: () => events.filter((e) => e.type === "service.restarted").length,
    };
  }

  it("a host that stops answering shows its services host-unreachable and restarts nothing; they recover when it answers", async () => {
    const { link, engine, events, container, snap, restarts } = await behindLink((onEdge) => ({
      api: {
        ...onEdge,
        stop_grace: "1s",
        restart: { policy: "always", backoff: { initial: "100ms" } },
        checks: [{ kind: "docker", interval: "500ms", timeout: "2s" }],
      },
      // No check at all: only the engine's own pings (docker/host-watch.ts) can tell.
      quiet: { ...onEdge, stop_grace: "1s", restart: "always" },
      front: { kind: "external", depends_on: ["api"], checks: [] },
    }));
    expect(await engine.start(["api", "quiet"]).done).toMatchObject({ result: "succeeded" });
    expect(snap("quiet")?.status).toBe("healthy");
    const startedAt = second("inspect", "-f", "{{.State.StartedAt}}", container("api"));

    await link.cut();
    expect(await waitFor(() => snap("api")?.status === "host-unreachable", 30_000, 100)).toBe(true);
    expect(snap("api")?.reason).toBe(
      `Docker host edge unreachable (connect ECONNREFUSED 127.0.0.1:${link.port})`,
    );
    expect(snap("front")).toMatchObject({ status: "blocked", blockedBy: ["api"] });
    expect(await waitFor(() => snap("quiet")?.status === "host-unreachable", 30_000, 100)).toBe(true);
    // A few more probe rounds while unreachable: nothing restarted, nothing started anywhere.
    const results = () => events.filter((e) => e.type === "check.result" && e.service === "api").length;
    const seen = results();
    await waitFor(() => results() >= seen + 4, 30_000, 100);
    expect(restarts()).toBe(0);
    expect(second("inspect", "-f", "{{.State.StartedAt}}", container("api"))).toBe(startedAt);

    await link.restore();
    expect(await waitFor(() => snap("api")?.status === "healthy", 30_000, 100)).toBe(true);
    expect(snap("front")?.status).not.toBe("blocked");
    expect(await waitFor(() => snap("quiet")?.status === "healthy", 30_000, 100)).toBe(true);
    expect(snap("api")?.runtime.restarts).toBe(0);
    expect(second("inspect", "-f", "{{.State.StartedAt}}", container("api"))).toBe(startedAt);
  }, 120_000);

  it("a container that exits while its host does not answer is seen when the host is back, and restarted there", async () => {
    const { link, engine, container, snap, restarts } = await behindLink((onEdge) => ({
      api: { ...onEdge, stop_grace: "1s", restart: { policy: "always", backoff: { initial: "100ms" } } },
    }));
    expect(await engine.start(["api"]).done).toMatchObject({ result: "succeeded" });
    const firstRun = second("inspect", "-f", "{{.State.StartedAt}}", container("api"));

    await link.cut();
    expect(await waitFor(() => snap("api")?.status === "host-unreachable", 30_000, 100)).toBe(true);
    second("kill", container("api")); // on the engine itself, while Vigil cannot see it
    expect(second("inspect", "-f", "{{.State.Running}}", container("api"))).toBe("false");
    expect(restarts()).toBe(0);

    await link.restore();
    expect(
      await waitFor(() => restarts() === 1 && snap("api")?.runtime.state === "running", 30_000, 100),
    ).toBe(true);
    expect(second("inspect", "-f", "{{.State.Running}}", container("api"))).toBe("true");
    expect(second("inspect", "-f", "{{.State.StartedAt}}", container("api"))).not.toBe(firstRun);
    expect(snap("api")?.status).toBe("healthy");
  }, 120_000);
});
