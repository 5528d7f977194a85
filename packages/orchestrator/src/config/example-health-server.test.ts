import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningHealthServer, startHealthServer } from "../../../../examples/lib/health-server.mjs";

const lib = fileURLToPath(new URL("../../../../examples/lib/", import.meta.url));

/** A port that nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  return typeof address === "object" && address !== null ? address.port : 1;
}

async function getJson(url: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { code: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("examples/lib/health-server.mjs", () => {
  const running: RunningHealthServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
  });

  it("reports staged start, then the health document with real TCP dependencies", async () => {
    const down = await closedPort();
    const server = await startHealthServer({
      name: "test",
      version: "1.2.3",
      port: 0,
      stages: [{ name: "loading-model", ms: 300 }],
      dependencies: [
        { name: "redis", host: "127.0.0.1", port: 6379 },
        { name: "gone", host: "127.0.0.1", port: down },
      ],
      optional: "gone",
    });
    running.push(server);
    const base = `http://127.0.0.1:${server.port}`;

    expect(await getJson(`${base}/health`)).toMatchObject({
      code: 503,
      body: { status: "starting", stage: "loading-model" },
    });
    expect((await getJson(`${base}/ready`)).code).toBe(503);

    await server.ready;
    expect((await getJson(`${base}/ready`)).code).toBe(200);
    const { code, body } = await getJson(`${base}/health`);
    expect(code).toBe(200);
    expect(body).toMatchObject({
      status: "degraded",
      version: "1.2.3",
      checks: { dependencies: { redis: { status: "healthy" }, gone: { status: "unhealthy" } } },
    });
    expect(body.checks).toHaveProperty("resources.memory_rss_bytes");
    expect(typeof body.uptime_s).toBe("number");
  });

  it("is unhealthy (503) when a required dependency is down", async () => {
    const down = await closedPort();
    const server = await startHealthServer({
      port: 0,
      dependencies: [{ name: "db", host: "127.0.0.1", port: down }],
    });
    running.push(server);
    const { code, body } = await getJson(`http://127.0.0.1:${server.port}/health`);
    expect(code).toBe(503);
    expect(body.status).toBe("unhealthy");
  });

  it("runs as a process from the environment and exits 0 on SIGTERM", async () => {
    const port = await closedPort();
    const child = spawn(
      process.execPath,
      ["-e", `import(${JSON.stringify(`${lib}health-server.mjs`)}).then(m => m.runService())`],
      {
        env: { ...process.env, PORT: String(port), SERVICE_NAME: "child", STAGES: "warming:50" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    try {
      let output = "";
      child.stdout.setEncoding("utf8");
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready: ${output}`)), 10_000);
        child.stdout.on("data", (chunk: string) => {
          output += chunk;
          if (output.includes("child: ready")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect((await getJson(`http://127.0.0.1:${port}/health`)).body.status).toBe("healthy");
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [exitCode] = await exited;
      expect(exitCode).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
