import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { type ClusterBus, createClusterBus, MAX_PAYLOAD_BYTES, packPayloads } from "./bus.ts";

/* The cluster bus on a real Postgres: two instances' buses on one throwaway database. */

let tdb: TestDatabase;
let pool: pg.Pool;
const buses: ClusterBus<unknown>[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
  pool = new pg.Pool({ connectionString: tdb.url, max: 2 });
}, 60_000);

afterAll(async () => {
  for (const bus of buses) await bus.close();
  await pool.end();
  await tdb.drop();
});

function bus(sender: string, log: string[] = []) {
  const got: { items: unknown[]; from: string }[] = [];
  const b = createClusterBus<unknown>({
    url: tdb.url,
    pool,
    channel: "vigil_test_bus",
    sender,
    receive: (items, from) => got.push({ items, from }),
    tickMs: 20,
    log: (line) => log.push(line),
  });
  buses.push(b);
  return { bus: b, got, items: () => got.flatMap((g) => g.items) };
}

async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what}: not within 15 s`);
}

describe("packing payloads", () => {
  it("keeps every item, in order, in payloads under the NOTIFY limit", () => {
    const items = Array.from({ length: 500 }, (_, i) => JSON.stringify({ n: i, pad: "x".repeat(i % 97) }));
    const { payloads, oversize } = packPayloads("node-a", items);
    expect(oversize).toBe(0);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const back = payloads.flatMap((p) => (JSON.parse(p) as { i: { n: number }[] }).i.map((x) => x.n));
    expect(back).toEqual(items.map((_, i) => i));
  });

  it("counts bytes, not characters, and leaves out an item that cannot travel alone", () => {
    const wide = JSON.stringify("é".repeat(4000)); // 8,000 bytes in 4,002 characters
    const { payloads, oversize } = packPayloads("a", [wide, '"ok"']);
    expect(oversize).toBe(1);
    expect(payloads).toEqual(['{"s":"a","i":["ok"]}']);
  });
});

describe("the bus", () => {
  it("delivers another instance's items once, in order, and not the sender's own", async () => {
    const a = bus("a");
    const b = bus("b");
    await Promise.all([a.bus.start(), b.bus.start()]);
    const sent = Array.from({ length: 300 }, (_, i) => ({ n: i, text: "y".repeat(200) }));
    for (const item of sent) a.bus.publish(item);
    await a.bus.flush();
    await until(() => b.items().length >= sent.length, "all items at b");
    expect(b.items()).toEqual(sent);
    expect(b.got.length).toBeGreaterThan(1); // more than one NOTIFY: the batch was chunked
    expect(b.got.every((g) => g.from === "a")).toBe(true);
    expect(a.items()).toEqual([]);
  });

  it("listens again after its connection is killed, and receives what is sent after", async () => {
    const log: string[] = [];
    const a = bus("a2");
    const b = bus("b2", log);
    await Promise.all([a.bus.start(), b.bus.start()]);
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    await until(() => log.some((l) => l.includes("listening again")), "a new LISTEN");
    a.bus.publish({ after: true });
    await until(() => b.items().length > 0, "the item sent after");
    expect(b.items()).toContainEqual({ after: true });
  });
});
