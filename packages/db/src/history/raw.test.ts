import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { HistoryInputError } from "./raw.ts";
import { isQueryCanceled, withStatementTimeout } from "./statement-timeout.ts";
import { createHistoryStore, type HistoryStore } from "./store.ts";

/* Issue 19, finding 9: raw history bounded in span and rows, and reads Postgres really cancels. */
describe("bounded raw history (real Postgres)", () => {
  let tdb: TestDatabase;
  let db: Db;
  let store: HistoryStore;
  const t0 = new Date("2026-11-20T10:00:00Z");
  const n = 25;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
    store = createHistoryStore({ db, flushIntervalMs: 20, statementTimeoutMs: 300 });
    for (let i = 0; i < n; i++)
      store.recordResult({
        service: "db",
        check: "tcp",
        // Two results share each instant: the cursor must order by (at, id), not by time alone.
        at: new Date(t0.getTime() + Math.floor(i / 2) * 1000),
        status: i % 5 === 0 ? "unhealthy" : "healthy",
        latencyMs: i,
        message: null,
      });
    await store.flush();
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await tdb?.drop();
  });

  const window = { service: "db", from: t0, to: new Date(t0.getTime() + 3_600_000) };

  it("refuses raw over more than 24 h, naming the field", async () => {
    const asked = store.history({
      service: "db",
      from: new Date("2016-01-01T00:00:00Z"),
      to: t0,
      resolution: "raw",
    });
    await expect(asked).rejects.toBeInstanceOf(HistoryInputError);
    await expect(asked).rejects.toMatchObject({ field: "resolution" });
  });

  it("pages raw rows with a cursor: every row once, in order, uptime over the whole window", async () => {
    const seen: number[] = [];
    const times: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.history({ ...window, resolution: "raw", limit: 4, cursor });
      expect(page.points.length).toBeLessThanOrEqual(4);
      expect(page.uptime).toBeCloseTo(20 / 25);
      for (const p of page.points) {
        seen.push(p.min ?? -1);
        times.push(p.t.getTime());
      }
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(Math.ceil(n / 4));
    // Every row exactly once (rows sharing an instant come in id order, not necessarily index order).
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("caps a page at 10,000 rows whatever limit is asked", async () => {
    const page = await store.history({ ...window, resolution: "raw", limit: 1_000_000 });
    expect(page.points).toHaveLength(n);
    expect(page.next).toBeNull();
  });

  it("refuses a cursor it did not hand out", async () => {
    for (const cursor of ["nope", Buffer.from("2026-01-01T00:00:00Z|1; DROP").toString("base64url")])
      await expect(store.history({ ...window, resolution: "raw", cursor })).rejects.toMatchObject({
        field: "cursor",
      });
  });

  it("a history read past the statement timeout is cancelled by Postgres, not merely abandoned", async () => {
    // Hold a lock the read must wait for: without a server-side timeout it would wait forever.
    const locker = await db.pool.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE probe_results IN ACCESS EXCLUSIVE MODE");
      const err = await store.history({ ...window, resolution: "raw" }).catch((e: unknown) => e);
      expect(isQueryCanceled(err)).toBe(true);
      // The backend that ran it is idle again: nothing of it still waits on the lock.
      const { rows } = await locker.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
           AND query LIKE '%FROM probe_results%'`,
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
    // And the pool still serves reads afterwards.
    expect((await store.history({ ...window, resolution: "raw" })).points).toHaveLength(n);
  });

  it("withStatementTimeout cancels a long statement on the server (pg_stat_activity)", async () => {
    const started = Date.now();
    const err = await withStatementTimeout(db.pool, 200, (c) =>
      c.query("SELECT pg_sleep(30) AS slept"),
    ).catch((e: unknown) => e);
    expect(isQueryCanceled(err)).toBe(true);
    expect(Date.now() - started).toBeLessThan(25_000);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(30) AS slept%'
         AND pid <> pg_backend_pid()`,
    );
    expect(rows[0]?.n).toBe(0);
  });
});
