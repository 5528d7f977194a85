import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
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
import { createOutboxStore } from "./outbox-store.ts";

const child = fileURLToPath(new URL("../testing/kill-outbox.ts", import.meta.url));

const notification = (id: string): Notification => ({
  schema: NOTIFICATION_SCHEMA,
  id,
  incidentKey: "redis@2026-11-30T03:00:00.000Z",
  event: "trigger",
  severity: "critical",
  title: "redis is unhealthy (blocks 2 services)",
  reason: "127.0.0.1:6379: connect ECONNREFUSED",
  rootCause: { service: "redis", status: "unhealthy" },
  affected: ["api", "worker"],
  at: "2026-11-30T03:00:00.000Z",
  links: { service: "http://127.0.0.1:3000/services/redis" },
});

let tdb: TestDatabase;
let db: Db;
let receiver: Server;
let receiverUrl: string;
const received: { id: string; key: string | undefined }[] = [];

beforeEach(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
  received.length = 0;
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({
        id: (JSON.parse(body) as Notification).id,
        key: req.headers["idempotency-key"] as string,
      });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterEach(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.close();
  await tdb.drop();
});

/** A dispatcher sending through the real webhook channel with a secret header. */
function dispatcherFor(recorder: OutboxRecorder): Dispatcher {
  const config: ChannelConfig = {
    kind: "webhook",
    url: `${receiverUrl}/hook`,
    method: "POST",
    headers: { Authorization: "Bearer very-secret-token" },
    content_type: "application/json",
  } as ChannelConfig;
  return new Dispatcher({
    recorder,
    send: (_channel, n, ctx) => sendWith(config, n, ctx),
    redact: (text) => text.replaceAll("very-secret-token", "***"),
    giveUpAfterMs: 60_000,
    timeoutMs: 2000,
  });
}

const waitUntil = async (predicate: () => boolean | Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
};

describe("outbox in Postgres", () => {
  it("stores entries once, their attempts with the request as sent (redacted), and hands back only pending ones", async () => {
    const store = createOutboxStore(db);
    const recorder = new OutboxRecorder(store);
    const dispatcher = dispatcherFor(recorder);
    dispatcher.submit(notification("n1"), ["hook"]);
    expect(await waitUntil(() => received.length === 1)).toBe(true);
    await recorder.flushed(AbortSignal.timeout(5000));
    await dispatcher.stop();
    await recorder.stop();
    const { rows } = await db.pool.query("SELECT id, state, attempts, incident_key FROM alert_outbox");
    expect(rows).toEqual([
      { id: "n1/hook", state: "sent", attempts: 1, incident_key: "redis@2026-11-30T03:00:00.000Z" },
    ]);
    const log = await db.pool.query("SELECT ok, status, request FROM alert_deliveries");
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0].ok).toBe(true);
    expect(log.rows[0].status).toBe(200);
    // The channel blanks its secret fields; the dispatcher's redactor is the second line of defence.
    expect(log.rows[0].request.headers.Authorization).toBe("***");
    expect(JSON.stringify(log.rows[0].request)).not.toContain("very-secret-token");
    expect(await store.pending(AbortSignal.timeout(5000))).toEqual([]);
    // Writing the same entry again (a retried write) keeps one row.
    await store.add(
      [
        {
          id: "n1/hook",
          channel: "hook",
          notification: notification("n1"),
          createdAt: 0,
          state: "pending",
          attempts: 0,
          nextAttemptAt: 0,
        },
      ],
      AbortSignal.timeout(5000),
    );
    expect((await db.pool.query("SELECT state FROM alert_outbox")).rows).toEqual([{ state: "sent" }]);
  });

  it("delivers once after Vigil is killed (SIGKILL) between the outbox write and the send", async () => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", child, tdb.url, JSON.stringify(notification("n-kill"))],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    proc.stdout.on("data", (c) => {
      out += c;
    });
    let errors = "";
    proc.stderr.on("data", (c) => {
      errors += c;
    });
    const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on("exit", (_code, signal) => resolve(signal)),
    );
    expect(errors).toBe("");
    expect(out).toBe("WRITTEN\n");
    expect(exit).toBe("SIGKILL");
    expect(received).toEqual([]);

    // Restart: what is pending in the outbox is sent, once, with the notification id as idempotency key.
    for (let restart = 0; restart < 2; restart++) {
      const store = createOutboxStore(db);
      const recorder = new OutboxRecorder(store);
      const dispatcher = dispatcherFor(recorder);
      dispatcher.resume(await store.pending(AbortSignal.timeout(5000)));
      await waitUntil(() => received.length >= 1, 3000);
      await recorder.flushed(AbortSignal.timeout(5000));
      await dispatcher.stop();
      await recorder.stop();
    }
    expect(received).toEqual([{ id: "n-kill", key: "n-kill" }]);
  });

  it("records a batch that holds several attempts of one entry as its latest state plus every attempt", async () => {
    const store = createOutboxStore(db);
    const base = {
      id: "n2/hook",
      channel: "hook",
      notification: notification("n2"),
      createdAt: 1000,
      nextAttemptAt: 1000,
    };
    const attempt = (n: number, ok: boolean) => ({
      id: `n2/hook#${n}`,
      entryId: "n2/hook",
      channel: "hook",
      at: 1000 + n,
      durationMs: 1,
      ok,
      status: ok ? 200 : 503,
    });
    await store.record(
      [
        {
          entry: { ...base, state: "pending", attempts: 1, lastError: "HTTP 503" },
          attempt: attempt(1, false),
        },
        { entry: { ...base, state: "sent", attempts: 2, sentAt: 1002 }, attempt: attempt(2, true) },
      ],
      AbortSignal.timeout(5000),
    );
    const rows = await db.pool.query(
      "SELECT state, attempts, last_error FROM alert_outbox WHERE id = 'n2/hook'",
    );
    expect(rows.rows).toEqual([{ state: "sent", attempts: 2, last_error: null }]);
    const log = await db.pool.query("SELECT id, ok FROM alert_deliveries ORDER BY id");
    expect(log.rows).toEqual([
      { id: "n2/hook#1", ok: false },
      { id: "n2/hook#2", ok: true },
    ]);
  });
});
