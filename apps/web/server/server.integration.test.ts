import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionAccepted, type ActionDelta, ServicesResponse } from "../lib/contract.ts";
import { realEngine } from "./adapters/engine.ts";
import { createVigilServer, type VigilServer } from "./app.ts";
import { badExpositionLines, connect, getJson, postJson, type TestSocket, waitFor } from "./testing/http.ts";
import { MemoryStore } from "./testing/memory-store.ts";
import { type HttpTarget, startHttpTarget } from "./testing/targets.ts";

/*
 * The server's composition (without Next) with the real engine probing real HTTP targets and
 * running a real process service.
 */

let target: HttpTarget;
let server: VigilServer;
let stateDir: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  target = await startHttpTarget();
  stateDir = mkdtempSync(join(tmpdir(), "vigil-web-"));
  const config = ConfigSchema.parse({
    project: `itest${process.pid}`,
    defaults: { check: { interval: "200ms", timeout: "1s", failure_threshold: 1 } },
    services: {
      site: { kind: "external", checks: [{ kind: "http", name: "home", url: `${target.url}/health` }] },
      worker: {
        kind: "process",
        command: [process.execPath, "-e", "console.log('worker up'); setInterval(() => {}, 1000)"],
        stop_grace: "2s",
      },
    },
  });
  server = await createVigilServer({
    config,
    engine: realEngine,
    store: new MemoryStore(),
    stateDir,
    host: "127.0.0.1",
    port: 0,
    next: false,
    log: () => undefined,
  });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.close({ stopServices: true, timeoutMs: 10_000 });
  await target?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

function open(): TestSocket {
  const s = connect(server.url);
  sockets.push(s);
  return s;
}

describe("vigil server with the real engine", () => {
  it("runs an action on a process service and streams its progress", async () => {
    const socket = open();
    await waitFor(socket, "snapshot");
    const deltas: ActionDelta[] = [];
    socket.on("action", (d) => deltas.push(d));
    const res = await postJson(server.url, "/api/actions", { kind: "start", targets: ["worker"] });
    expect(res.status).toBe(202);
    const { actionId } = ActionAccepted.parse(res.body);
    const finished = await waitFor(
      socket,
      "action",
      (d) => d.type === "finished" && d.actionId === actionId,
      30_000,
    );
    expect(finished).toMatchObject({ result: "succeeded" });
    expect(deltas[0]).toMatchObject({ type: "planned", action: { id: actionId, kind: "start" } });
    expect(deltas.some((d) => d.type === "step" && d.actionId === actionId)).toBe(true);
    const view = await getJson(server.url, `/api/actions/${actionId}`);
    expect(view.body).toMatchObject({ id: actionId, result: "succeeded" });
    const services = ServicesResponse.parse((await getJson(server.url, "/api/services")).body);
    expect(services.services.find((s) => s.name === "worker")?.runtimeState).toBe("running");
  });

  it("pushes a status change when a target goes down", async () => {
    const socket = open();
    const snapshot = await waitFor(socket, "snapshot");
    expect(snapshot.services.map((s) => s.name).sort()).toEqual(["site", "worker"]);
    // The first probes must have seen the target up before it goes away.
    await waitFor(socket, "result", (r) => r.service === "site" && r.status === "healthy", 15_000);
    const down = waitFor(socket, "status", (s) => s.service === "site" && s.to === "unhealthy", 15_000);
    await target.close();
    expect(await down).toMatchObject({ service: "site", to: "unhealthy" });
  });

  it("exposes parseable metrics with probe observations", async () => {
    const text = await (await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    expect(badExpositionLines(text)).toEqual([]);
    expect(text).toMatch(/vigil_probe_duration_seconds_count\{service="site",check="home",kind="http"/);
  });
});
