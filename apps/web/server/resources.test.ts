import { ConfigSchema } from "@vigil/orchestrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VigilServer } from "./app.ts";
import { withUnits } from "./live/check-values.ts";
import { badExpositionLines, connect, nextSnapshot, waitForDelta } from "./testing/http.ts";
import { MemoryStore } from "./testing/memory-store.ts";
import { startScriptedServer } from "./testing/scripted-server.ts";
import { ScriptedEngine } from "./testing/static-engine.ts";

/* Resource samples through the web layer (scripted engine, in-memory store): history, /metrics, units. */

const config = ConfigSchema.parse({
  project: "res",
  services: { api: { kind: "process", command: "sleep 1" }, db: { kind: "external" } },
});

let engine: ScriptedEngine;
let store: MemoryStore;
let server: VigilServer;

beforeEach(async () => {
  engine = new ScriptedEngine(["api", "db"]);
  store = new MemoryStore();
  server = await startScriptedServer(engine, { config, store });
});
afterEach(async () => {
  await server.close({ timeoutMs: 2000 });
});

describe("resource samples in the web layer", () => {
  it("records a sample under stored value names and exports it as per-service gauges", async () => {
    const at = new Date();
    engine.emit({
      type: "service.resources",
      service: "api",
      at,
      cpuPercent: 12.5,
      memoryBytes: 64 * 1024 * 1024,
      fds: 9,
      threads: 7,
      pids: 2,
    });
    expect(store.resourceLog).toEqual([
      {
        service: "api",
        at,
        values: { cpu_percent: 12.5, memory_bytes: 64 * 1024 * 1024, fds: 9, threads: 7, pids: 2 },
      },
    ]);
    const text = await (await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    expect(badExpositionLines(text)).toEqual([]);
    expect(text).toContain('vigil_service_cpu_percent{service="api"} 12.5');
    expect(text).toContain(`vigil_service_memory_bytes{service="api"} ${64 * 1024 * 1024}`);
    expect(text).toContain('vigil_service_fds{service="api"} 9');
    expect(text).toContain('vigil_service_threads{service="api"} 7');
    engine.emit({
      type: "service.oom",
      service: "api",
      at,
      limitBytes: 1024 ** 3,
      reason: "killed: out of memory, limit 1 GiB",
    });
    const after = await (await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    expect(after).toContain('vigil_service_oom_kills_total{service="api"} 1');
    // Not measured for this service: no made-up zero.
    expect(after).not.toContain('vigil_service_net_rx_bytes{service="api"}');
  });

  it("pushes samples to every board, not only to the service's room, for the tile bars", async () => {
    const socket = connect(server.url);
    try {
      await nextSnapshot(socket);
      const delta = waitForDelta(socket, "resources");
      engine.emit({
        type: "service.resources",
        service: "api",
        at: new Date(),
        cpuPercent: 3.14,
        memoryBytes: 1024,
        memoryLimitBytes: 4096,
        limitEnforcement: "cgroup",
      });
      expect(await delta).toMatchObject({
        service: "api",
        cpuPercent: 3.1,
        memoryBytes: 1024,
        memoryLimitBytes: 4096,
        limitEnforcement: "cgroup",
      });
    } finally {
      socket.close();
    }
  });

  it("gives resource series their units in the history API", () => {
    const series = withUnits(config, "api", [
      { check: "@resources", name: "memory_bytes", points: [] },
      { check: "@resources", name: "cpu_percent", points: [] },
    ]);
    expect(series.map((s) => s.unit)).toEqual(["bytes", "%"]);
  });
});
