import { ConfigSchema } from "@vigil/orchestrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActionAccepted, ServicesResponse } from "../lib/contract.ts";
import type { VigilServer } from "./app.ts";
import {
  badExpositionLines,
  connect,
  getJson,
  nextSnapshot,
  postJson,
  type TestSocket,
  waitFor,
  waitForDelta,
} from "./testing/http.ts";
import { MemoryStore } from "./testing/memory-store.ts";
import { startScriptedServer } from "./testing/scripted-server.ts";
import { ScriptedEngine } from "./testing/static-engine.ts";

/*
 * The web layer on its own (hub, router, metrics, OpenAPI) with a scripted engine and an in-memory
 * store, so each behaviour is driven exactly. server.integration.test.ts runs the real engine and
 * Postgres against real targets.
 */

const config = ConfigSchema.parse({
  project: "unit",
  services: {
    db: { kind: "external", checks: [{ kind: "http", name: "http", url: "http://127.0.0.1:1/" }] },
    api: { kind: "external", depends_on: ["db"], checks: [{ kind: "http", url: "http://127.0.0.1:2/" }] },
  },
});

let engine: ScriptedEngine;
let store: MemoryStore;
let server: VigilServer;
let sockets: TestSocket[] = [];

beforeEach(async () => {
  engine = new ScriptedEngine(["db", "api"]);
  store = new MemoryStore();
  server = await startScriptedServer(engine, {
    config,
    store,
  });
});

afterEach(async () => {
  for (const s of sockets) s.close();
  sockets = [];
  await server.close({ timeoutMs: 2000 });
});

function open(): TestSocket {
  const s = connect(server.url);
  sockets.push(s);
  return s;
}

describe("socket hub", () => {
  it("sends a snapshot on connect, then status deltas", async () => {
    const socket = open();
    const snapshot = await nextSnapshot(socket);
    expect(snapshot.services.map((s) => s.name)).toEqual(["db", "api"]);
    expect(snapshot.services[0]?.dependents).toEqual(["api"]);
    const status = waitForDelta(socket, "status");
    engine.emit({
      type: "service.status",
      service: "db",
      from: "unknown",
      to: "unhealthy",
      at: new Date(),
      reason: "refused",
    });
    expect(await status).toMatchObject({ service: "db", to: "unhealthy", reason: "refused" });
    expect(store.eventLog).toHaveLength(1);
  });

  it("coalesces a burst of results to the newest per check", async () => {
    const socket = open();
    await waitFor(socket, "snapshot");
    const seen: number[] = [];
    socket.on("deltas", (batch) => {
      for (const d of batch) if (d.type === "result") seen.push(d.latencyMs);
    });
    for (let i = 1; i <= 200; i++) {
      engine.emit({
        type: "check.result",
        service: "db",
        check: "http",
        at: new Date(),
        result: { status: "healthy", latencyMs: i, message: "ok" },
        circuit: "closed",
        state: "healthy",
        counted: true,
      });
    }
    await new Promise((r) => setTimeout(r, 600));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toBe(200);
    expect(store.results).toHaveLength(200);
    // The ring keeps the last 30 for the next snapshot.
    const again = await nextSnapshot(open());
    expect(again.services[0]?.sparkline).toHaveLength(30);
    expect(again.services[0]?.sparkline.at(-1)).toBe(200);
  });

  it("keeps the 24 h uptime current as results arrive: in each result delta and the next snapshot (issue 19)", async () => {
    const socket = open();
    await waitFor(socket, "snapshot");
    const uptimes: (number | null | undefined)[] = [];
    socket.on("deltas", (batch) => {
      for (const d of batch) if (d.type === "result" && d.service === "db") uptimes.push(d.uptime24h);
    });
    const emit = (status: "healthy" | "unhealthy", ms: number) =>
      engine.emit({
        type: "check.result",
        service: "db",
        check: "http",
        at: new Date(Date.now() + ms),
        result: { status, latencyMs: 3, message: status },
        circuit: "closed",
        state: status,
        counted: true,
      });
    for (let i = 0; i < 23; i++) emit("healthy", i);
    await new Promise((r) => setTimeout(r, 400));
    expect(uptimes.at(-1)).toBe(1);
    // A crash: one failed result in 24 is 95.8 %, on the board at once, not after a reload.
    emit("unhealthy", 30);
    await new Promise((r) => setTimeout(r, 400));
    expect(uptimes.at(-1)).toBeCloseTo(23 / 24, 4);
    const again = await nextSnapshot(open());
    expect(again.services.find((s) => s.name === "db")?.uptime24h).toBeCloseTo(23 / 24, 3);
  });

  it("sends a fresh snapshot after a config reload", async () => {
    const socket = open();
    await waitFor(socket, "snapshot");
    const again = waitFor(socket, "snapshot");
    await server.reload(ConfigSchema.parse({ ...config, project: "renamed" }));
    expect(await again).toMatchObject({ project: "renamed" });
  });

  it("streams logs only to subscribers and rejects bad subscriptions", async () => {
    const socket = open();
    await waitFor(socket, "snapshot");
    const bad = await socket.timeout(5000).emitWithAck("subscribe", { service: "nope" });
    expect(bad).toMatchObject({ ok: false });
    const invalid = await socket.timeout(5000).emitWithAck("subscribe", { service: 42 } as never);
    expect(invalid).toMatchObject({ ok: false });
    expect(await socket.timeout(5000).emitWithAck("subscribe", { service: "api" })).toEqual({ ok: true });
    const line = waitForDelta(socket, "log");
    engine.emit({ type: "service.log", service: "api", stream: "stdout", line: "hello", at: new Date() });
    expect(await line).toMatchObject({ service: "api", line: "hello" });
  });
});

describe("REST", () => {
  it("serves services, detail, graph and 404s", async () => {
    const all = await getJson(server.url, "/api/services");
    expect(all.status).toBe(200);
    ServicesResponse.parse(all.body);
    const one = await getJson(server.url, "/api/services/db");
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      service: { name: "db" },
      allDependents: ["api"],
      config: { kind: "external" },
    });
    const missing = await getJson(server.url, "/api/services/nope");
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const graph = await getJson(server.url, "/api/graph");
    expect(graph.body).toMatchObject({ waves: [["db"], ["api"]] });
  });

  it("answers bad input with 400 naming the field", async () => {
    const badFrom = await getJson(
      server.url,
      "/api/history?service=db&from=yesterday&to=2026-01-01T00:00:00Z",
    );
    expect(badFrom).toMatchObject({ status: 400, body: { error: { code: "bad_request", field: "from" } } });
    const backwards = await getJson(
      server.url,
      "/api/history?service=db&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
    );
    expect(backwards).toMatchObject({ status: 400, body: { error: { field: "to" } } });
    const badKind = await postJson(server.url, "/api/actions", { kind: "explode" });
    expect(badKind).toMatchObject({ status: 400, body: { error: { field: "kind" } } });
    const badTarget = await postJson(server.url, "/api/actions", { kind: "start", targets: ["db", "nope"] });
    expect(badTarget).toMatchObject({ status: 400, body: { error: { field: "targets.1" } } });
    const notJson = await postJson(server.url, "/api/actions", "{nope");
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    const limit = await getJson(server.url, "/api/events?limit=0");
    expect(limit).toMatchObject({ status: 400, body: { error: { field: "limit" } } });
  });

  it("answers out-of-range instants, unbounded raw spans and foreign cursors with 400 (issue 19, findings 9 and 10)", async () => {
    const bad: [string, string][] = [
      ["/api/history?service=db&from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
      ["/api/history?service=db&from=1969-12-31T23:59:59Z&to=2026-01-01T00:00:00Z", "from"],
      ["/api/history?service=db&from=2026-01-01T00:00:00Z&to=2026-02-30T00:00:00Z", "to"],
      ["/api/events?from=0000-01-01T00:00:00%2B00:00", "from"],
      ["/api/incidents?to=0000-01-01T00:00:00Z", "to"],
      [
        "/api/history?service=db&from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&resolution=raw",
        "resolution",
      ],
      ["/api/history?service=db&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z&cursor=a%27b", "cursor"],
      ["/api/history?service=db&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z&limit=10001", "limit"],
    ];
    for (const [path, field] of bad)
      expect(await getJson(server.url, path), path).toMatchObject({
        status: 400,
        body: { error: { code: "bad_request", field } },
      });
    const malformed = await fetch(`${server.url}/services/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    const day = await getJson(
      server.url,
      "/api/history?service=db&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&resolution=raw",
    );
    expect(day).toMatchObject({ status: 200, body: { next: null } });
  });

  it("accepts an action, pushes its progress and dedupes by idempotency key", async () => {
    const socket = open();
    await waitFor(socket, "snapshot");
    const planned = waitFor(socket, "action", (a) => a.type === "planned");
    const first = await postJson(server.url, "/api/actions", {
      kind: "restart",
      targets: ["db"],
      idempotencyKey: "k1",
    });
    expect(first.status).toBe(202);
    const accepted = ActionAccepted.parse(first.body);
    expect(await planned).toMatchObject({
      type: "planned",
      action: { id: accepted.actionId, kind: "restart" },
    });
    const retry = await postJson(server.url, "/api/actions", {
      kind: "restart",
      targets: ["db"],
      idempotencyKey: "k1",
    });
    expect(retry.body).toMatchObject({ actionId: accepted.actionId, deduplicated: true });
    expect(engine.runs).toHaveLength(1);
    const view = await getJson(server.url, `/api/actions/${accepted.actionId}`);
    expect(view.body).toMatchObject({ id: accepted.actionId, result: "running" });
    const list = await getJson(server.url, "/api/actions");
    expect(list.body).toMatchObject({ actions: [{ id: accepted.actionId }] });
  });
});

describe("metrics, health and OpenAPI", () => {
  it("exposes parseable Prometheus metrics", async () => {
    engine.emit({
      type: "service.status",
      service: "db",
      from: "unknown",
      to: "healthy",
      at: new Date(),
      reason: "ok",
    });
    engine.emit({
      type: "check.result",
      service: "db",
      check: "http",
      at: new Date(),
      result: { status: "healthy", latencyMs: 12, message: 'said "ok"', values: { days_remaining: 12.4 } },
      circuit: "closed",
      state: "healthy",
      counted: true,
    });
    const res = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(badExpositionLines(text)).toEqual([]);
    expect(text).toContain('vigil_service_up{service="db",status="healthy"} 1');
    expect(text).toContain(
      'vigil_probe_duration_seconds_count{service="db",check="http",kind="http",status="healthy"} 1',
    );
    expect(text).toContain(
      'vigil_check_value{service="db",check="http",kind="http",name="days_remaining",unit="days"} 12.4',
    );
    expect(text).toContain("vigil_store_queue_depth 0");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("returns a check's values with its history, over the same range", async () => {
    const at = new Date();
    engine.emit({
      type: "check.result",
      service: "db",
      check: "http",
      at,
      result: { status: "healthy", latencyMs: 3, message: "ok", values: { queue_depth: 7 } },
      circuit: "closed",
      state: "healthy",
      counted: true,
    });
    const from = new Date(at.getTime() - 60_000).toISOString();
    const to = new Date(at.getTime() + 60_000).toISOString();
    const history = await getJson(server.url, `/api/history?service=db&from=${from}&to=${to}`);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({
      values: [
        {
          check: "http",
          name: "queue_depth",
          unit: "",
          points: [{ t: at.toISOString(), count: 1, min: 7, avg: 7, max: 7 }],
        },
      ],
    });
  });

  it("answers /healthz and /readyz", async () => {
    expect((await getJson(server.url, "/healthz")).status).toBe(200);
    expect(await getJson(server.url, "/readyz")).toMatchObject({ status: 200, body: { ready: true } });
    server.readiness.store = false;
    expect(await getJson(server.url, "/readyz")).toMatchObject({
      status: 503,
      body: { reason: "waiting for store" },
    });
  });

  it("documents every route in an OpenAPI 3.1 document", async () => {
    const { status, body } = await getJson(server.url, "/api/openapi.json");
    expect(status).toBe(200);
    type Operation = { operationId: string; parameters?: { name: string; in: string }[]; responses: object };
    const doc = body as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.values(ops).map((op) => ({ path, op })),
    );
    // Structural rules of OpenAPI 3.1: unique operation ids, every templated segment declared.
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
    for (const { path, op } of operations) {
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters?.some((p) => p.in === "path" && p.name === name)).toBe(true);
      }
    }
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(listed.sort()).toEqual(
      [
        "GET /api/services",
        "GET /api/services/{name}",
        "GET /api/services/{name}/logs",
        "GET /api/services/{name}/push",
        "GET /api/graph",
        "GET /api/history",
        "GET /api/events",
        "GET /api/incidents",
        "GET /api/jobs/{name}/runs",
        "GET /api/actions",
        "GET /api/actions/{id}",
        "POST /api/actions",
        "POST /api/actions/{id}/cancel",
        "POST /api/jobs/{name}/run",
        "POST /api/store/backup",
        "GET /api/openapi.json",
        "GET /metrics",
        "GET /healthz",
        "GET /readyz",
      ].sort(),
    );
  });
});
