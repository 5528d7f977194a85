import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "./client.ts";
import { createTestDatabase, type TestDatabase } from "./testing/pg.ts";

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDb({ url: tdb.url, maxConnections: 3 });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe("the pool", () => {
  it("survives losing a connection it has lent out (a held LISTEN connection terminated)", async () => {
    const held = await db.pool.connect();
    await held.query('LISTEN "held"');
    const { rows } = await held.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const ended = new Promise<void>((resolve) => held.once("end", () => resolve()));
    // Unguarded, the client's 'error' event has no listener here and the test process dies.
    await db.pool.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
    await ended;
    held.release(true);
    expect((await db.pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });
});
