import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Dispatcher, OutboxRecorder } from "@vigil/orchestrator";
import {
  type ChannelConfig,
  NOTIFICATION_SCHEMA,
  type Notification,
  sendWith,
} from "@vigil/orchestrator/notify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { startProxy, type TcpProxy } from "../testing/proxy.ts";
import { createOutboxStore } from "./outbox-store.ts";

/*
 * FAULT_MATRIX row "Postgres down during an outage": the database is cut (TCP proxy drops every
 * connection and refuses new ones) before the alert is decided. The alert must still go out, and
 * the outbox row and its delivery attempt must be in Postgres once it is back.
 */

let tdb: TestDatabase;
let proxy: TcpProxy;
let db: Db;
let receiver: Server;
let hookUrl: string;
const received: string[] = [];

beforeEach(async () => {
  tdb = await createTestDatabase();
  proxy = await startProxy({ host: "127.0.0.1", port: 5432 });
  const url = new URL(tdb.url);
  url.port = String(proxy.port);
  db = createDb({ url: url.toString(), maxConnections: 2, queryTimeoutMs: 2000 });
  received.length = 0;
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push((JSON.parse(body) as Notification).id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.close();
  await proxy.close();
  await tdb.drop();
});

describe("outbox while Postgres is unreachable", () => {
  it("sends the alert from memory and records it once Postgres is back", async () => {
    const recorder = new OutboxRecorder(createOutboxStore(db), {
      timeoutMs: 1000,
      retryMs: 100,
      maxRetryMs: 500,
    });
    const config = {
      kind: "webhook",
      url: hookUrl,
      method: "POST",
      headers: {},
      content_type: "application/json",
    };
    const dispatcher = new Dispatcher({
      recorder,
      send: (_c, n, ctx) => sendWith(config as ChannelConfig, n, ctx),
      redact: (t) => t,
      giveUpAfterMs: 60_000,
    });
    await proxy.down();
    const notification: Notification = {
      schema: NOTIFICATION_SCHEMA,
      id: "n-outage",
      incidentKey: "redis@1",
      event: "trigger",
      severity: "critical",
      title: "redis is unhealthy",
      reason: "down",
      rootCause: { service: "redis", status: "unhealthy" },
      affected: [],
      at: new Date().toISOString(),
      links: { service: "http://vigil.test/services/redis" },
    };
    dispatcher.submit(notification, ["hook"]);
    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(received).toEqual(["n-outage"]);
    expect(recorder.backlog).toBeGreaterThan(0);

    await proxy.up();
    await recorder.flushed(AbortSignal.timeout(15_000));
    expect(recorder.backlog).toBe(0);
    const rows = await db.pool.query("SELECT id, state, attempts FROM alert_outbox");
    expect(rows.rows).toEqual([{ id: "n-outage/hook", state: "sent", attempts: 1 }]);
    expect((await db.pool.query("SELECT ok FROM alert_deliveries")).rows).toEqual([{ ok: true }]);
    expect(received).toEqual(["n-outage"]);
    await dispatcher.stop();
    await recorder.stop();
  });
});
