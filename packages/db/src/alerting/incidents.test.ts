import { NOTIFICATION_SCHEMA } from "@vigil/orchestrator/notify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { createIncidentStore } from "./incidents.ts";
import { createOutboxStore } from "./outbox-store.ts";
import { createAlertQueries } from "./queries.ts";

let tdb: TestDatabase;
let db: Db;
beforeEach(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 2 });
});
afterEach(async () => {
  await db.close();
  await tdb.drop();
});

const signal = () => AbortSignal.timeout(5000);
const T = (min: number) => new Date(Date.UTC(2026, 10, 30, 3, min));

describe("incidents and the delivery log in Postgres", () => {
  it("opens, acknowledges and resolves an incident with an idempotent timeline, filtered by service", async () => {
    const store = createIncidentStore(db);
    const incident = {
      key: "redis@1",
      rootService: "redis",
      severity: "critical",
      title: "redis is unhealthy (blocks 2 services)",
      affected: ["api", "worker"],
      openedAt: T(0),
    };
    await store.open(incident, signal());
    await store.open(incident, signal());
    const event = { id: "n1", at: T(0), kind: "trigger", actor: null, text: incident.title };
    await store.event("redis@1", event, signal());
    await store.event("redis@1", event, signal());
    await store.acknowledge("redis@1", "ana", T(5), signal());
    await store.acknowledge("redis@1", "bob", T(6), signal());
    await store.resolve("redis@1", T(9), signal());
    const got = await store.get("redis@1", signal());
    expect(got?.incident).toMatchObject({ acknowledgedBy: "ana", acknowledgedAt: T(5), resolvedAt: T(9) });
    expect(got?.timeline.map((e) => e.id)).toEqual(["n1"]);
    expect((await store.list({ service: "worker" }, signal())).map((i) => i.key)).toEqual(["redis@1"]);
    expect(await store.list({ service: "edge" }, signal())).toEqual([]);
    expect(await store.list({ state: "open" }, signal())).toEqual([]);
    expect((await store.list({ state: "resolved", from: T(8), to: T(10) }, signal())).length).toBe(1);
    expect(await store.list({ from: T(10) }, signal())).toEqual([]);
  });

  it("summarises channels and lists deliveries with their notification", async () => {
    const outbox = createOutboxStore(db);
    const notification = {
      schema: NOTIFICATION_SCHEMA,
      id: "n1",
      incidentKey: "redis@1",
      event: "trigger" as const,
      severity: "critical" as const,
      title: "redis is unhealthy",
      reason: "down",
      rootCause: { service: "redis", status: "unhealthy" as const },
      affected: [],
      at: T(0).toISOString(),
      links: { service: "http://x/services/redis" },
    };
    const entry = {
      id: "n1/hook",
      channel: "hook",
      notification,
      createdAt: T(0).getTime(),
      state: "failed" as const,
      attempts: 1,
      nextAttemptAt: T(0).getTime(),
      lastError: "HTTP 400",
    };
    await outbox.add([{ ...entry, state: "pending", attempts: 0 }], signal());
    await outbox.record(
      [
        {
          entry,
          attempt: {
            id: "n1/hook#1",
            entryId: "n1/hook",
            channel: "hook",
            at: T(1).getTime(),
            durationMs: 3,
            ok: false,
            status: 400,
            error: "HTTP 400",
            request: { target: "http://x/hook", body: "{}" },
          },
        },
      ],
      signal(),
    );
    const queries = createAlertQueries(db);
    expect(await queries.channels(signal())).toEqual([
      {
        channel: "hook",
        sent: 0,
        failed: 1,
        pending: 0,
        lastAttemptAt: T(1),
        lastOk: false,
        lastError: "HTTP 400",
      },
    ]);
    const log = await queries.deliveries({ channel: "hook" }, signal());
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      entryId: "n1/hook",
      status: 400,
      event: "trigger",
      title: "redis is unhealthy",
      state: "failed",
    });
    expect(log[0]?.request).toEqual({ target: "http://x/hook", body: "{}" });
    expect((await queries.entry("n1/hook", signal()))?.state).toBe("failed");
  });
});
