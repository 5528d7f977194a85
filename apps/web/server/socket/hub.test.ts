import { ConfigSchema } from "@vigil/orchestrator";
import { afterEach, describe, expect, it } from "vitest";
import { SnapshotPayload } from "../../lib/contract.ts";
import type { VigilServer } from "../app.ts";
import { connect, nextSnapshot, type TestSocket, waitFor } from "../testing/http.ts";
import { MemoryStore } from "../testing/memory-store.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";

/* The hub under load: a 1,000-service board must stay small on connect and calm under bursts. */

let server: VigilServer | undefined;
let socket: TestSocket | undefined;
afterEach(async () => {
  socket?.close();
  await server?.close({ timeoutMs: 2000 });
});

async function start(count: number) {
  const names = Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(4, "0")}`);
  const engine = new ScriptedEngine(names);
  const store = new MemoryStore();
  const config = ConfigSchema.parse({
    services: Object.fromEntries(
      names.map((n) => [
        n,
        { kind: "external", checks: [{ kind: "http", name: "http", url: "http://127.0.0.1:1/" }] },
      ]),
    ),
  });
  server = await startScriptedServer(engine, {
    config,
    store,
  });
  socket = connect(server.url);
  return { names, engine, store, socket };
}

describe("socket hub at scale", () => {
  it("coalesces 10 results per service for 1,000 services into one per check per tick", async () => {
    const { names, engine, socket } = await start(1000);
    const first = await nextSnapshot(socket);
    expect(first.services).toHaveLength(1000);
    let results = 0;
    socket.on("result", () => results++);
    for (let round = 0; round < 10; round++) {
      for (const service of names) {
        engine.emit({
          type: "check.result",
          service,
          check: "http",
          at: new Date(),
          result: { status: "healthy", latencyMs: 10 + round, message: "HTTP 200" },
          circuit: "closed",
          state: "healthy",
          counted: true,
        });
      }
    }
    await new Promise((r) => setTimeout(r, 700));
    // 10,000 results were produced at once; browsers get the newest per check per 250 ms tick.
    expect(results).toBe(1000);
    // With full 30-point sparklines the packed board stays under 100 bytes per service.
    for (let round = 0; round < 20; round++) {
      for (const service of names) {
        engine.emit({
          type: "check.result",
          service,
          check: "http",
          at: new Date(),
          result: { status: "healthy", latencyMs: 12.3, message: "HTTP 200" },
          circuit: "closed",
          state: "healthy",
          counted: true,
        });
      }
    }
    const again = connect(server?.url ?? "");
    try {
      const wire = await waitFor(again, "snapshot");
      expect(Buffer.byteLength(JSON.stringify(wire))).toBeLessThan(100_000);
      const snapshot = SnapshotPayload.parse(wire);
      expect(snapshot.services[5]?.sparkline).toHaveLength(30);
    } finally {
      again.close();
    }
  });

  it("tells browsers when the store degrades and recovers", async () => {
    const { store, socket } = await start(2);
    await waitFor(socket, "snapshot");
    const degraded = waitFor(socket, "store", (h) => h.state === "degraded", 5000);
    store.state = { state: "degraded", queueDepth: 12, dropped: 0, message: "connection refused" };
    expect(await degraded).toMatchObject({ queueDepth: 12, message: "connection refused" });
    const ok = waitFor(socket, "store", (h) => h.state === "ok", 5000);
    store.state = { state: "ok", queueDepth: 0, dropped: 0, message: null };
    await ok;
  });
});
