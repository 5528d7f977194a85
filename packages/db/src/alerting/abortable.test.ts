import pg from "pg";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { connectAbortable } from "./abortable.ts";

describe("connectAbortable (real Postgres)", () => {
  const test = useTestDb();

  it("gives back a connection that arrives after the caller gave up, so the pool neither leaks nor hangs", async () => {
    const pool = new pg.Pool({ connectionString: test.tdb.url, max: 1 });
    const held = await pool.connect();
    // The only slot is taken: this caller waits in the pool's queue and gives up after 100 ms.
    await expect(connectAbortable(pool, AbortSignal.timeout(100))).rejects.toThrow();
    held.release();
    // The late connection went back to the pool: the slot can be had again, and the pool ends.
    const again = await connectAbortable(pool, AbortSignal.timeout(5000));
    again.release();
    await pool.end();
  });
});
