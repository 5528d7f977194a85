import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@vigil/db/testing/pg";
import { ConfigSchema } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ActionAccepted,
  type ActionDelta,
  EventsResponse,
  HistoryResponse,
  ServicesResponse,
} from "../lib/contract.ts";
import { realEngine } from "./adapters/engine.ts";
import { createVigilServer, type VigilServer } from "./app.ts";
import type { ResultRecord, StorePort } from "./ports.ts";
import { type OpenDatabase, openDatabase } from "./startup/database.ts";
import { findRepoRoot } from "./startup/paths.ts";
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
import { type HttpTarget, startHttpTarget } from "./testing/targets.ts";

/*
 * The server's composition (without Next) with the real engine probing real HTTP targets, running
 * a real process service, and writing history to a throwaway database on the real Postgres.
 */

let target: HttpTarget;
let database: OpenDatabase;
let dropDatabase: () => Promise<void>;
/** What the engine handed to the store, to compare with what REST reads back. */
const written: ResultRecord[] = [];
let server: VigilServer;
let stateDir: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  target = await startHttpTarget();
  stateDir = mkdtempSync(join(tmpdir(), "vigil-web-"));
  const pg = await createTestDatabase({ migrate: false });
  dropDatabase = pg.drop;
  database = await openDatabase({
    databaseUrl: pg.url,
    dataDir: join(stateDir, "unused"),
    migrationsDir: join(findRepoRoot(import.meta.dirname) ?? "", "prisma", "migrations"),
    log: () => undefined,
  });
  const store: StorePort = {
    ...database.store,
    recordResult(result) {
      written.push(result);
      database.store.recordResult(result);
    },
  };
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
    store,
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
  await database?.close(5000);
  await dropDatabase?.();
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
    // From the deltas already collected: the action can finish before the POST's answer is read.
    const isFinished = (d: ActionDelta) => d.type === "finished" && d.actionId === actionId;
    await until(() => deltas.some(isFinished), 30_000);
    expect(deltas.find(isFinished)).toMatchObject({ result: "succeeded" });
    expect(deltas[0]).toMatchObject({ type: "planned", action: { id: actionId, kind: "start" } });
    expect(deltas.some((d) => d.type === "step" && d.actionId === actionId)).toBe(true);
    const view = await getJson(server.url, `/api/actions/${actionId}`);
    expect(view.body).toMatchObject({ id: actionId, result: "succeeded" });
    // Its output reaches GET /api/services/:name/logs (from service.log events).
    await until(() => server.live.logs.count("worker") > 0, 10_000);
    const logs = await getJson(server.url, "/api/services/worker/logs?lines=10");
    expect(logs.body).toMatchObject({
      service: "worker",
      lines: [{ service: "worker", stream: "stdout", line: "worker up" }],
    });
    const services = ServicesResponse.parse((await getJson(server.url, "/api/services")).body);
    expect(services.services.find((s) => s.name === "worker")?.runtimeState).toBe("running");
  });

  it("serves the history that was written, once flushed", async () => {
    const from = new Date(Date.now() - 60_000);
    await until(() => written.filter((r) => r.service === "site").length >= 3, 15_000);
    await server.live.store.flush(10_000);
    const expected = written.filter((r) => r.service === "site");
    const to = new Date(Date.now() + 1000);
    const url = `/api/history?service=site&check=home&from=${from.toISOString()}&to=${to.toISOString()}&resolution=raw`;
    const { status, body } = await getJson(server.url, url);
    expect(status).toBe(200);
    const history = HistoryResponse.parse(body);
    expect(history.resolution).toBe("raw");
    const got = history.points.slice(0, expected.length);
    expect(got.map((p) => [p.t, p.status, p.avg])).toEqual(
      expected.map((r) => [r.at.toISOString(), r.status, expect.closeTo(r.latencyMs, 1)]),
    );
    expect(history.uptime).toBe(1);
    const auto = await getJson(
      server.url,
      `/api/history?service=site&from=${from.toISOString()}&to=${to.toISOString()}`,
    );
    expect(auto.body).toMatchObject({ resolution: "raw" });
  });

  it("pushes a status change when a target goes down", async () => {
    const socket = open();
    const snapshot = await nextSnapshot(socket);
    expect(snapshot.services.map((s) => s.name).sort()).toEqual(["site", "worker"]);
    // The first probes must have seen the target up before it goes away.
    await waitForDelta(socket, "result", (r) => r.service === "site" && r.status === "healthy", 15_000);
    const down = waitForDelta(socket, "status", (s) => s.service === "site" && s.to === "unhealthy", 15_000);
    await target.close();
    expect(await down).toMatchObject({ service: "site", to: "unhealthy" });
    await server.live.store.flush(10_000);
    const { body } = await getJson(server.url, "/api/events?service=site&type=status");
    const { events } = EventsResponse.parse(body);
    // Newest first: the transition just pushed is the latest one stored.
    expect(events[0]).toMatchObject({ service: "site", type: "status", to: "unhealthy" });
  });

  it("exposes parseable metrics with probe observations", async () => {
    const text = await (await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    expect(badExpositionLines(text)).toEqual([]);
    expect(text).toMatch(/vigil_probe_duration_seconds_count\{service="site",check="home",kind="http"/);
  });
});

async function until(ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
