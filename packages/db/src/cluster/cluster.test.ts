import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { claimDecision, StaleLeaseError, withFence } from "./fence.ts";
import { createLease, type Lease } from "./lease.ts";
import { createMembership } from "./membership.ts";

/* Membership, the leader lease and fenced writes against a real Postgres. */

let tdb: TestDatabase;
let db: Db;
let lease: Lease;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 4 });
  lease = createLease(db.pool);
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE cluster_lease, cluster_members, cluster_decisions");
});
afterAll(async () => {
  await db.close();
  await tdb.drop();
});

/** Time passing without waiting for it: the lease lapses on the database's clock. */
const lapse = () => db.pool.query("UPDATE cluster_lease SET expires_at = now() - interval '1 second'");

describe("leader lease", () => {
  it("gives the lease to exactly one of several instances racing for it", async () => {
    const holds = await Promise.all(["a", "b", "c", "d"].map((id) => lease.acquire(id, 9000)));
    const won = holds.filter((h) => h !== null);
    expect(won).toHaveLength(1);
    expect(won[0]?.token).toBe(1n);
    expect((await lease.current())?.holder).toBe(won[0]?.holder);
  });

  it("renews for its holder with the same token and refuses the others while live", async () => {
    const first = await lease.acquire("a", 9000);
    expect(await lease.acquire("b", 9000)).toBeNull();
    const renewed = await lease.acquire("a", 9000);
    expect(renewed?.token).toBe(first?.token);
  });

  it("passes a lapsed lease to another instance with a larger token", async () => {
    const a = await lease.acquire("a", 9000);
    await lapse();
    const b = await lease.acquire("b", 9000);
    expect(b?.holder).toBe("b");
    expect(b && a && b.token > a.token).toBe(true);
    // The deposed leader cannot renew its way back while b's lease is live.
    expect(await lease.acquire("a", 9000)).toBeNull();
  });

  it("hands over at once on release, with a new token", async () => {
    const a = await lease.acquire("a", 9000);
    if (!a) throw new Error("a should lead");
    await lease.release(a);
    expect(await lease.current()).toBeNull();
    expect((await lease.acquire("b", 9000))?.token).toBe(a.token + 1n);
  });
});

describe("fenced writes", () => {
  it("refuses a deposed leader's late decision and keeps the new leader's", async () => {
    const a = await lease.acquire("a", 9000);
    if (!a) throw new Error("a should lead");
    expect(await claimDecision(db.pool, a, "restart:api:1", "restart")).toBe(true);
    await lapse();
    const b = await lease.acquire("b", 9000);
    if (!b) throw new Error("b should lead");
    await expect(claimDecision(db.pool, a, "restart:api:2", "restart")).rejects.toBeInstanceOf(
      StaleLeaseError,
    );
    expect(await claimDecision(db.pool, b, "restart:api:2", "restart")).toBe(true);
    const { rows } = await db.pool.query<{ key: string; holder: string; token: string }>(
      "SELECT key, holder, token FROM cluster_decisions ORDER BY key",
    );
    expect(rows).toEqual([
      { key: "restart:api:1", holder: "a", token: a.token.toString() },
      { key: "restart:api:2", holder: "b", token: b.token.toString() },
    ]);
  });

  it("claims one occasion once, across leaders", async () => {
    const a = await lease.acquire("a", 9000);
    if (!a) throw new Error("a should lead");
    expect(await claimDecision(db.pool, a, "alert:42", "alert")).toBe(true);
    expect(await claimDecision(db.pool, a, "alert:42", "alert")).toBe(false);
    await lapse();
    const b = await lease.acquire("b", 9000);
    if (!b) throw new Error("b should lead");
    expect(await claimDecision(db.pool, b, "alert:42", "alert")).toBe(false);
  });

  it("makes a takeover wait for a fenced write in flight, then refuses the old token", async () => {
    // A short lease that lapses while its holder is inside a fenced transaction.
    const a = await lease.acquire("a", 500);
    if (!a) throw new Error("a should lead");
    let letGo: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let inside: () => void = () => {};
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const write = withFence(db.pool, a, async (client) => {
      await client.query(
        "INSERT INTO cluster_decisions (key, kind, token, holder) VALUES ('w', 'test', $1, 'a')",
        [a.token.toString()],
      );
      inside();
      await held;
    });
    await entered;
    await until(async () => (await lease.current()) === null);
    let takenOver = false;
    const takeover = lease.acquire("b", 9000).then((hold) => {
      takenOver = true;
      return hold;
    });
    // The takeover queues behind a's share lock on the lease row instead of overtaking it.
    await until(async () => {
      const { rows } = await db.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE NOT granted",
      );
      return Number(rows[0]?.n) > 0;
    });
    expect(takenOver).toBe(false);
    letGo();
    await write;
    const b = await takeover;
    expect(b?.holder).toBe("b");
    expect(b && b.token > a.token).toBe(true);
    await expect(claimDecision(db.pool, a, "after", "test")).rejects.toBeInstanceOf(StaleLeaseError);
    const { rows: kept } = await db.pool.query("SELECT key FROM cluster_decisions WHERE key = 'w'");
    expect(kept).toHaveLength(1);
  });
});

/** Polls `ok` (bounded: 10 s) — waits for a state, asserts nothing about time. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition not reached within 10 s");
}

describe("membership", () => {
  it("lists members seen within the TTL, by id, and forgets one that leaves", async () => {
    const m = createMembership(db.pool);
    const startedAt = new Date();
    await m.heartbeat({ id: "m2", nodeName: "beta", url: "http://127.0.0.1:2", startedAt });
    await m.heartbeat({ id: "m1", nodeName: "alpha", url: "http://127.0.0.1:1", startedAt });
    expect((await m.live(9000)).map((r) => r.nodeName)).toEqual(["alpha", "beta"]);
    await db.pool.query("UPDATE cluster_members SET last_seen = now() - interval '1 minute' WHERE id = 'm2'");
    expect((await m.live(9000)).map((r) => r.id)).toEqual(["m1"]);
    expect(await m.prune(30_000)).toBe(1);
    await m.leave("m1");
    expect(await m.live(9000)).toEqual([]);
  });
});
