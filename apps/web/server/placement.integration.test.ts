import { createServer } from "node:net";
import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServicesResponse } from "../lib/contract.ts";
import type { VigilServer } from "./app.ts";
import { findRepoRoot } from "./startup/paths.ts";
import { connect, getJson, nextSnapshot } from "./testing/http.ts";
import { type RealServer, startRealServer } from "./testing/real-server.ts";

/*
 * Issue 16 through the real server: the board's REST view and socket snapshot say which node runs
 * a process service, and a Docker host that does not answer (a port nothing listens on) shows its
 * service as host-unreachable, in /metrics too. Real engine, real store on a throwaway Postgres.
 */

const _repo = findRepoRoot(import.meta.dirname) ?? "";

let real: RealServer;
let server: VigilServer;

/** A loopback port that nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const config = ConfigSchema.parse({
    project: `place${process.pid}`,
    hosts: { edge: { tcp: `127.0.0.1:${await closedPort()}` } },
    services: {
      worker: { kind: "process", command: "sleep 600", node: "node-b" },
      api: {
        kind: "docker",
        image: "vigil/busybox:1",
        host: "edge",
        checks: [{ kind: "docker", interval: "300ms", timeout: "2s", failure_threshold: 1 }],
      },
    },
  });
  real = await startRealServer("place", () => ({ config, localNode: "node-a" }));
  ({ server } = real);
});

afterAll(async () => {
  await real?.close({ stopServices: true });
});

async function services(): Promise<ServicesResponse["services"]> {
  const res = await getJson(server.url, "/api/services");
  expect(res.status).toBe(200);
  return ServicesResponse.parse(res.body).services;
}

async function until(what: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("placement and host reachability in the board's data", () => {
  it("names the node of a process service another instance runs, which this one never starts", async () => {
    const worker = (await services()).find((s) => s.name === "worker");
    expect(worker).toMatchObject({ node: "node-b", runtimeState: "external" });
    const socket = connect(server.url);
    try {
      const board = await nextSnapshot(socket, 15_000);
      expect(board.services.find((s) => s.name === "worker")?.node).toBe("node-b");
      expect(board.services.find((s) => s.name === "api")?.host).toBe("edge");
    } finally {
      socket.close();
    }
  });

  it("shows a service on a host nothing answers on as host-unreachable, in REST and /metrics", async () => {
    await until(
      async () => (await services()).find((s) => s.name === "api")?.status === "host-unreachable",
      30_000,
    );
    const api = (await services()).find((s) => s.name === "api");
    expect(api).toMatchObject({ host: "edge", restarts: 0 });
    expect(api?.reason).toMatch(/^Docker host edge unreachable \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
    const metrics = await (
      await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(10_000) })
    ).text();
    expect(metrics).toMatch(/^vigil_services_host_unreachable\{host="edge"\} 1$/m);
    expect(metrics).toMatch(/^vigil_service_up\{service="api",status="host-unreachable"\} 0$/m);
  });
});
