import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../client.ts";
import { migrate } from "../migrate/migrate.ts";
import { type MigrationsBefore, migrationsBefore } from "../testing/migrations-before.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { createHistoryStore } from "./store.ts";

const KEYED_BY_BUCKET = "20261201071605_rollups_keyed_by_bucket";

// Rollup rows as the writer left them under the old key: two checks of one service sharing buckets,
// a bucket only one check has, a null min/max, another service.
const hist = (at: number, n: number) =>
  `'{${Array.from({ length: 66 }, (_, i) => (i === at ? n : 0)).join(",")}}'`;
const SEED = ["rollup_minute", "rollup_hour"].map(
  (t) => `INSERT INTO ${t} (service, "check", bucket, count, failures, min, max, sum, hist) VALUES
  ('api', 'http', '2026-11-20T10:00:00Z', 2, 0, 1.5, 2.5, 4, ${hist(3, 2)}),
  ('api', 'tcp',  '2026-11-20T10:00:00Z', 1, 1, NULL, NULL, 0, ${hist(0, 0)}),
  ('api', 'http', '2026-11-20T09:00:00Z', 1, 0, 8, 8, 8, ${hist(13, 1)}),
  ('db',  'tcp',  '2026-11-20T10:00:00Z', 3, 0, 0.5, 0.7, 1.8, ${hist(0, 3)})`,
);

const ALL = (t: string) =>
  `SELECT service, "check", bucket, count, failures, min, max, sum, hist FROM ${t} ORDER BY 1, 2, 3`;
const KEY = (t: string) =>
  `SELECT array_agg(a.attname::text ORDER BY k.n) AS cols FROM pg_index x
   CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
   WHERE x.indrelid = '${t}'::regclass AND x.indisprimary`;

describe("rollups keyed by bucket migration (old key seeded, then migrated)", () => {
  let tdb: TestDatabase;
  let before: MigrationsBefore;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
    before = await migrationsBefore(KEYED_BY_BUCKET);
  });
  afterAll(async () => {
    await tdb?.drop();
    await before?.remove();
  });

  it("keeps every row, orders the key (service, bucket, check), and the writer still merges into it", async () => {
    await migrate(tdb.url, { migrationsDir: before.dir });
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    const db = createDb({ url: tdb.url });
    try {
      for (const sql of SEED) await c.query(sql);
      const rowsBefore = await Promise.all(
        ["rollup_minute", "rollup_hour"].map(async (t) => (await c.query(ALL(t))).rows),
      );
      expect((await c.query(KEY("rollup_minute"))).rows[0].cols).toEqual(["service", "check", "bucket"]);

      expect((await migrate(tdb.url)).applied).toEqual(before.later);
      expect(before.later[0]).toBe(KEYED_BY_BUCKET);
      for (const [i, t] of ["rollup_minute", "rollup_hour"].entries()) {
        expect((await c.query(ALL(t))).rows).toEqual(rowsBefore[i]);
        expect((await c.query(KEY(t))).rows[0].cols).toEqual(["service", "bucket", "check"]);
      }

      // A result in a bucket that exists adds to it (ON CONFLICT finds the reordered key).
      const store = createHistoryStore({ db });
      store.recordResult({
        service: "api",
        check: "http",
        at: new Date("2026-11-20T10:00:30Z"),
        status: "healthy",
        latencyMs: 3,
        message: null,
      });
      await store.flush();
      await store.close();
      const merged = await c.query(
        `SELECT count, sum, min, max FROM rollup_minute WHERE service = 'api' AND "check" = 'http' AND bucket = '2026-11-20T10:00:00Z'`,
      );
      expect(merged.rows).toEqual([{ count: 3, sum: 7, min: 1.5, max: 3 }]);

      // A chart over both checks reads the buckets in time order, the two checks of 10:00 as one point.
      const h = await store.history({
        service: "api",
        from: new Date("2026-11-20T08:00:00Z"),
        to: new Date("2026-11-20T12:00:00Z"),
        resolution: "hour",
      });
      expect(h.points.map((p) => [p.t.toISOString(), p.count, p.failures, p.min, p.max])).toEqual([
        ["2026-11-20T09:00:00.000Z", 1, 0, 8, 8],
        ["2026-11-20T10:00:00.000Z", 4, 1, 1.5, 3],
      ]);
    } finally {
      await db.close();
      await c.end();
    }
  });
});
