import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, type Db } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { parseConfigText, type ServiceStatus } from "@vigil/orchestrator";
import type { Notification } from "@vigil/orchestrator/notify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VigilServer } from "../app.ts";
import { getJson, postJson } from "../testing/http.ts";
import { startScriptedServer } from "../testing/scripted-server.ts";
import { ScriptedEngine } from "../testing/static-engine.ts";
import { createAlerting } from "./compose.ts";

/*
 * The alerting path end to end inside the web server: engine events (scripted) → decisions →
 * outbox in a real Postgres → the real webhook channel → a real HTTP receiver; incidents and
 * acknowledgement over REST.
 */

const BLOCKED = ["a", "b", "c", "d", "e", "f"];
let tdb: TestDatabase;
let db: Db;
let receiver: Server;
let hookUrl: string;
let received: Notification[];
let server: VigilServer | undefined;

beforeEach(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  received = [];
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push(JSON.parse(body) as Notification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await server?.close({ timeoutMs: 5000 });
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.close();
  await tdb.drop();
});

const until = async (predicate: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
};

/** The web layer over `engine` with alerting on the test database, from a vigil.yaml text. */
async function start(text: string, engine: ScriptedEngine) {
  const { config, redactor } = parseConfigText(text, "vigil.yaml");
  const alerting = createAlerting({
    sql: db.pool,
    config: () => config,
    redact: redactor.redact,
    log: () => {},
  });
  server = await startScriptedServer(engine, { config, alerting });
  return { config, redactor, alerting, url: server.url };
}

describe("alerting in the web server (real Postgres, real webhook receiver)", () => {
  it("sends one alert naming the root cause, lets an operator acknowledge it, and one resolve", async () => {
    const text = `services:
  redis: { kind: external }
${BLOCKED.map((s) => `  ${s}: { kind: external, depends_on: [redis] }`).join("\n")}
alerting:
  public_url: http://vigil.test
  channels:
    hook: { kind: webhook, url: "${hookUrl}" }
  routes:
    - { channels: [hook] }
  defaults: { remind: { every: 300ms, times: 50 } }
`;
    const engine = new ScriptedEngine(["redis", ...BLOCKED]);
    const { url } = await start(text, engine);
    const emit = (service: string, from: ServiceStatus, to: ServiceStatus, blockedBy: string[] = []) =>
      engine.emit({
        type: "service.status",
        service,
        from,
        to,
        at: new Date(),
        reason: `${service} ${to}`,
        blockedBy,
      });

    emit("redis", "healthy", "unhealthy");
    for (const s of BLOCKED) emit(s, "healthy", "blocked", ["redis"]);
    expect(await until(() => received.length >= 1)).toBe(true);
    const trigger = received[0]!;
    expect(trigger).toMatchObject({ event: "trigger", rootCause: { service: "redis" }, affected: BLOCKED });
    expect(trigger.title).toBe("redis is unhealthy (blocks 6 services)");
    expect(trigger.links.service).toMatch(/^http:\/\/vigil\.test\/services\/redis\?from=/);

    expect(await until(() => received.some((n) => n.event === "reminder"))).toBe(true);
    const open = async () =>
      (
        (await getJson(server!.url, "/api/alerts/incidents?state=open")).body as {
          incidents: { key: string }[];
        }
      ).incidents;
    expect(await until(async () => (await open()).length === 1)).toBe(true);
    expect((await open())[0]?.key).toBe(trigger.incidentKey);

    const ack = await postJson(
      url,
      `/api/alerts/incidents/${encodeURIComponent(trigger.incidentKey)}/ack`,
      {},
    );
    expect(ack.status).toBe(202);
    expect(await until(() => received.some((n) => n.event === "acknowledge"))).toBe(true);
    const afterAck = received.length;
    // Three reminder periods pass: an acknowledged incident gets no more reminders.
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.slice(afterAck).map((n) => n.event)).toEqual([]);
    expect(
      (await postJson(url, `/api/alerts/incidents/${encodeURIComponent(trigger.incidentKey)}/ack`, {}))
        .status,
    ).toBe(409);

    emit("redis", "unhealthy", "healthy");
    for (const s of BLOCKED) emit(s, "blocked", "healthy");
    expect(await until(() => received.some((n) => n.event === "resolve"))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(received.filter((n) => n.event === "resolve")).toHaveLength(1);
    expect(received.filter((n) => n.event === "trigger")).toHaveLength(1);
    // No blocked service ever alerted on its own.
    expect(new Set(received.map((n) => n.rootCause.service))).toEqual(new Set(["redis"]));

    const detail = async () =>
      (await getJson(server!.url, `/api/alerts/incidents/${encodeURIComponent(trigger.incidentKey)}`))
        .body as {
        incident: { resolvedAt: string | null; acknowledgedBy: string | null };
        timeline: { kind: string }[];
      };
    expect(await until(async () => (await detail()).incident.resolvedAt !== null)).toBe(true);
    const noted = await postJson(
      url,
      `/api/alerts/incidents/${encodeURIComponent(trigger.incidentKey)}/notes`,
      {
        text: "redis OOM; raised maxmemory",
      },
    );
    expect(noted.status).toBe(202);
    expect(await until(async () => (await detail()).timeline.some((e) => e.kind === "note"))).toBe(true);
    const { incident, timeline } = await detail();
    expect(incident.acknowledgedBy).not.toBeNull();
    expect(timeline.map((e) => e.kind)).toContain("acknowledge");
    // Status changes of the root and the blocked services while it was open are on the timeline.
    expect(timeline.filter((e) => e.kind === "status").length).toBeGreaterThanOrEqual(BLOCKED.length + 1);
    const channels = (await getJson(url, "/api/alerts/channels")).body as {
      channels: { name: string; sent: number }[];
    };
    expect(channels.channels[0]).toMatchObject({ name: "hook" });
    expect(
      await until(async () => {
        const body = (await getJson(server!.url, "/api/alerts/channels")).body as {
          channels: { sent: number }[];
        };
        return body.channels[0]?.sent === received.length;
      }),
    ).toBe(true);
  });

  it("silences a service: nothing is sent, it shows as in maintenance, and the silence survives a restart", async () => {
    const text = `services:
  worker: { kind: external }
alerting:
  channels:
    hook: { kind: webhook, url: "${hookUrl}" }
  routes:
    - { channels: [hook] }
`;
    const engine = new ScriptedEngine(["worker"]);
    const { alerting, config, redactor, url } = await start(text, engine);
    const silenced = await postJson(url, "/api/alerts/silences", {
      service: "worker",
      duration: "1h",
    });
    expect(silenced.status).toBe(202);
    expect((await postJson(url, "/api/alerts/silences", { service: "nope", duration: "1h" })).status).toBe(
      400,
    );
    expect((await getJson(url, "/api/alerts/maintenance")).body).toEqual({ services: ["worker"] });
    engine.emit({
      type: "service.status",
      service: "worker",
      from: "healthy",
      to: "unhealthy",
      at: new Date(),
      reason: "down",
      blockedBy: [],
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(received).toEqual([]);

    // A restarted Vigil reads the silence back from Postgres.
    await alerting.runtime.recorder.flushed(AbortSignal.timeout(5000));
    await server?.close({ timeoutMs: 5000 });
    const again = createAlerting({
      sql: db.pool,
      config: () => config,
      redact: redactor.redact,
      log: () => {},
    });
    server = await startScriptedServer(new ScriptedEngine(["worker"]), { config, alerting: again });
    expect(
      await until(async () => {
        const body = (await getJson(server!.url, "/api/alerts/maintenance")).body as { services: string[] };
        return body.services.includes("worker");
      }),
    ).toBe(true);
  });

  it("stays out of the way when vigil.yaml routes no notifications: no incidents, nothing sent", async () => {
    const engine = new ScriptedEngine(["redis", "a"]);
    const { url } = await start(
      "services:\n  redis: { kind: external }\n  a: { kind: external, depends_on: [redis] }\n",
      engine,
    );
    engine.emit({
      type: "service.status",
      service: "redis",
      from: "healthy",
      to: "unhealthy",
      at: new Date(),
      reason: "down",
      blockedBy: [],
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await getJson(url, "/api/alerts/incidents")).body).toEqual({ incidents: [] });
    expect(received).toEqual([]);
  });
});
