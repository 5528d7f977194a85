import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { afterEach, describe, expect, it, vi } from "vitest";
import { service, tempStateDir } from "../lifecycle/fixtures/helpers.ts";
import { DockerCheck } from "../probes/docker.ts";
import { runCheck } from "../probes/run.ts";
import { createDockerRunner } from "../runners/docker.ts";
import { dockerAvailable } from "../testing/docker.ts";
import { dockerClient } from "./client.ts";

const ENGINE = "/var/run/docker.sock";

/**
 * Forwards every connection to the local engine and counts the HTTP requests it carries (clients
 * keep connections alive, so connections alone would undercount): a stand-in socket proxy.
 */
async function startForwarder(
  listenOn: string | number,
  tls?: { key: Buffer; cert: Buffer },
): Promise<{ server: Server; requests: () => number }> {
  let count = 0;
  const forward = (client: Socket) => {
    const engine = connect(ENGINE);
    client.on("data", (chunk: Buffer) => {
      count += chunk.toString("latin1").split(" HTTP/1.1\r\n").length - 1;
    });
    client.pipe(engine).pipe(client);
    client.on("error", () => engine.destroy());
    engine.on("error", () => client.destroy());
  };
  const server = tls ? createTlsServer(tls, forward) : createServer(forward);
  await new Promise<void>((resolve) =>
    typeof listenOn === "number"
      ? server.listen(listenOn, "127.0.0.1", resolve)
      : server.listen(listenOn, resolve),
  );
  return { server, requests: () => count };
}

describe.skipIf(!dockerAvailable())("docker client (real dockerd behind DOCKER_HOST)", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    for (const c of cleanups.splice(0)) c();
  });

  /** A self-signed certificate for 127.0.0.1, as ca.pem/cert.pem/key.pem (DOCKER_CERT_PATH's layout). */
  function certificates(dir: string): { key: Buffer; cert: Buffer } {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        .concat(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem")])
        .concat(["-out", join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    const cert = readFileSync(join(dir, "cert.pem"));
    execFileSync("cp", [join(dir, "cert.pem"), join(dir, "ca.pem")]);
    return { key: readFileSync(join(dir, "key.pem")), cert };
  }

  async function engineAt(scheme: "unix" | "tcp" | "tls") {
    const dir = mkdtempSync(join(tmpdir(), "vigil-docker-host-"));
    const socketPath = join(dir, "engine.sock");
    const proxy = await startForwarder(
      scheme === "unix" ? socketPath : 0,
      scheme === "tls" ? certificates(dir) : undefined,
    );
    cleanups.push(() => {
      proxy.server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const address = proxy.server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    vi.stubEnv("DOCKER_HOST", scheme === "unix" ? `unix://${socketPath}` : `tcp://127.0.0.1:${port}`);
    if (scheme === "tls") {
      vi.stubEnv("DOCKER_TLS_VERIFY", "1");
      vi.stubEnv("DOCKER_CERT_PATH", dir);
    }
    return proxy;
  }

  it.each(["unix", "tcp", "tls"] as const)(
    "runners and probes both reach the engine named by DOCKER_HOST (%s)",
    async (scheme) => {
      const proxy = await engineAt(scheme);
      expect(String(await dockerClient().ping())).toBe("OK");

      const beforeProbe = proxy.requests();
      const check = DockerCheck.parse({ kind: "docker", container: "vigil-no-such-container" });
      const missing = await runCheck(check, { timeoutMs: 10_000 });
      expect(missing.message).toContain("No such container");
      expect(proxy.requests()).toBeGreaterThan(beforeProbe);

      const beforeRunner = proxy.requests();
      const runner = createDockerRunner({
        project: "t",
        stateDir: tempStateDir(),
        onEvent: () => undefined,
        onExit: () => undefined,
      });
      const status = await runner.status("absent", service({ kind: "docker", image: "vigil/busybox:1" }));
      expect(status.state).toBe("stopped");
      expect(proxy.requests()).toBeGreaterThan(beforeRunner);
    },
  );

  it("names the socket it could not reach when DOCKER_HOST points nowhere", async () => {
    vi.stubEnv("DOCKER_HOST", "unix:///tmp/vigil-no-engine-here.sock");
    const result = await runCheck(DockerCheck.parse({ kind: "docker", container: "anything" }), {
      timeoutMs: 10_000,
    });
    expect(result.status).toBe("unhealthy");
    expect(result.message).toContain("/tmp/vigil-no-engine-here.sock");
  });
});
