import type { EngineEvent } from "@vigil/orchestrator";
import { ConfigSchema } from "@vigil/orchestrator";
import { afterEach, describe, expect, it } from "vitest";
import { forwardTcp } from "../../../../packages/orchestrator/src/testing/tcp-forwarder.ts";
import { type LiveDelta, SnapshotPayload } from "../../lib/contract.ts";
import type { VigilServer } from "../app.ts";
import { connect, nextSnapshot, type TestSocket, waitFor } from "../testing/http.ts";
import { MemoryStore } from "../testing/memory-store.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";

/* The hub under load: a 1,000-service board must stay small on connect and calm under bursts. */

const result = (service: string, latencyMs: number): EngineEvent => ({
  type: "check.result",
  service,
  check: "http",
  at: new Date(),
  result: { status: "healthy", latencyMs, message: "HTTP 200" },
  circuit: "closed",
  state: "healthy",
  counted: true,
});

/** Every `deltas` message the socket receives, with when it arrived. */
function record(socket: TestSocket): { at: number; batch: LiveDelta[] }[] {
  const seen: { at: number; batch: LiveDelta[] }[] = [];
  socket.on("deltas", (batch) => seen.push({ at: performance.now(), batch }));
  return seen;
}

let server: VigilServer | undefined;
let socket: TestSocket | undefined;
afterEach(async () => {
  socket?.close();
  await server?.close({ timeoutMs: 2000 });
});

async function start(count: number, socketTickMs?: number) {
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
  server = await startScriptedServer(engine, { config, store, socketTickMs });
  socket = connect(server.url);
  return { names, engine, store, socket };
}

describe("socket hub at scale", () => {
  it("sends 10 results per service for 1,000 services as one batch of the newest per check", async () => {
    const { names, engine, socket } = await start(1000);
    const first = await nextSnapshot(socket);
    expect(first.services).toHaveLength(1000);
    const seen = record(socket);
    for (let round = 0; round < 10; round++) {
      for (const service of names) engine.emit(result(service, 10 + round));
    }
    await new Promise((r) => setTimeout(r, 700));
    // 10,000 results were produced in one go: one message carries the newest of each check.
    expect(seen).toHaveLength(1);
    const results = seen[0]?.batch.filter((d) => d.type === "result") ?? [];
    expect(results.map((d) => d.service)).toEqual(names);
    expect(new Set(results.map((d) => d.latencyMs))).toEqual(new Set([19]));
    // With full 30-point sparklines the packed board stays under 100 bytes per service.
    for (let round = 0; round < 20; round++) {
      for (const service of names) engine.emit(result(service, 12.3 + round));
    }
    const again = connect(server?.url ?? "");
    try {
      const wire = await waitFor(again, "snapshot");
      expect(Buffer.byteLength(JSON.stringify(wire))).toBeLessThan(100_000);
      const snapshot = SnapshotPayload.parse(wire);
      expect(snapshot.services[5]?.sparkline).toHaveLength(30);
      expect(snapshot.services[5]?.sparkline.at(-1)).toBe(31.3);
    } finally {
      again.close();
    }
  });

  it("pushes a status change at once, with the results before it, and batches the rest per tick", async () => {
    const tickMs = 3000;
    const { engine, socket } = await start(3, tickMs);
    await nextSnapshot(socket);
    // A result's batch marks a tick: from there a design that waited for ticks would take 3 s.
    engine.emit(result("svc-0000", 3));
    await waitFor(socket, "deltas", () => true, tickMs + 2000);
    const seen = record(socket);
    const sent = performance.now();
    engine.emit(result("svc-0001", 5));
    engine.emit({
      type: "service.status",
      service: "svc-0001",
      from: "unknown",
      to: "unhealthy",
      at: new Date(),
      reason: "refused",
    });
    await waitFor(socket, "deltas", (b) => b.some((d) => d.type === "status"), 2000);
    expect(seen[0]?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(sent + 1000);
    expect(seen[0]?.batch.map((d) => `${d.type} ${d.service}`)).toEqual([
      "result svc-0001",
      "status svc-0001",
    ]);
    // A result after it waits for the tick.
    engine.emit(result("svc-0002", 7));
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toHaveLength(1);
    await waitFor(socket, "deltas", () => true, tickMs + 2000);
    expect(seen[1]?.batch.map((d) => `${d.type} ${d.service}`)).toEqual(["result svc-0002"]);
  });

  it("a browser connecting right after a flush gets a snapshot that holds what the flush sent", async () => {
    const { engine, socket } = await start(3, 50);
    await nextSnapshot(socket);
    engine.emit(result("svc-0000", 42));
    await waitFor(socket, "deltas", (b) => b.some((d) => d.type === "result"), 2000);
    // Within the 200 ms a snapshot is shared between connects: it must not be the one from before.
    const late = connect(server?.url ?? "");
    try {
      const board = await nextSnapshot(late);
      const svc = board.services.find((s) => s.name === "svc-0000");
      expect(svc?.sparkline.at(-1)).toBe(42);
    } finally {
      late.close();
    }
  });

  it("deflates the snapshot on the wire but sends small deltas as they are (no per-socket stream)", async () => {
    // With context takeover ws deflates every message on each socket's own zlib stream, whatever
    // its size: 1,000 browsers then got a status change seconds late (BENCHMARKS.md, push).
    const { engine } = await start(500);
    const relay = await forwardTcp({ host: "127.0.0.1", port: Number(new URL(server?.url ?? "").port) });
    const viaRelay = connect(`http://127.0.0.1:${relay.port}`);
    try {
      const snapshot = await waitFor(viaRelay, "snapshot");
      const snapshotBytes = Buffer.byteLength(`42["snapshot",${JSON.stringify(snapshot)}]`);
      expect(snapshotBytes).toBeGreaterThan(8192);
      // Everything so far (upgrade, handshake, snapshot) took less than half the snapshot's JSON.
      expect(relay.received()).toBeLessThan(snapshotBytes / 2);
      const before = relay.received();
      engine.emit(result("svc-0001", 5));
      const batch = await waitFor(viaRelay, "deltas", () => true, 3000);
      const deltaBytes = Buffer.byteLength(`42["deltas",${JSON.stringify(batch)}]`);
      expect(deltaBytes).toBeLessThan(4096);
      // A deflated delta on a stream primed by the snapshot would be a fraction of its JSON.
      expect(relay.received() - before).toBeGreaterThanOrEqual(deltaBytes);
    } finally {
      viaRelay.close();
      await relay.close();
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
