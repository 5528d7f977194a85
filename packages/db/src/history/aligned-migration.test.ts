import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../migrate/migrate.ts";
import { type MigrationsBefore, migrationsBefore } from "../testing/migrations-before.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { adoptDefaultRows, ensureDayPartitions } from "./partitions.ts";

const ALIGNED = "20261130221500_probe_rows_aligned";
const DAY = 86_400_000;

// Rows in the lean layout, as the writer stores them: day partitions, the default partition (a day
// not made yet), nulls, the int4 extremes, microseconds.
const ROWS = `
INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id) VALUES
  (1, '2026-11-20T10:00:00.123456Z', 0, 12345, 1),
  (1, '2026-11-20T10:00:10.000001Z', 2, NULL, 2),
  (2, '2026-11-20T23:59:59.999999Z', 1, 2147483647, NULL),
  (2, '2026-11-21T00:00:00Z', 0, -2147483647, 1),
  (1, '2026-11-25T08:00:00Z', 0, 0, NULL)`;

const ALL = `SELECT series_id, at, status, latency_us, reason_id FROM probe_rows ORDER BY series_id, at`;
const VIEW = `SELECT service, "check", at, status, latency_ms, message, detail, value_map FROM probe_results ORDER BY at`;

describe("probe_rows column order migration (lean layout seeded, then migrated)", () => {
  let tdb: TestDatabase;
  let before: MigrationsBefore;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
    before = await migrationsBefore(ALIGNED);
  });
  afterAll(async () => {
    await tdb?.drop();
    await before?.remove();
  });

  it("moves every row unchanged, keeps the key and the view, and packs a row into 46 bytes", async () => {
    await migrate(tdb.url, { migrationsDir: before.dir });
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO series (service, "check") VALUES ('api', 'http'), ('db', 'tcp')`);
      await c.query(
        `INSERT INTO reasons (key, text) VALUES (md5('HTTP 200')::uuid, 'HTTP 200'), (md5('refused')::uuid, 'refused')`,
      );
      const day = Date.UTC(2026, 10, 20);
      await ensureDayPartitions(c, [day, day + DAY]); // 11-25 stays in the default partition
      await c.query(ROWS);
      await c.query(
        `INSERT INTO probe_row_extras (series_id, at, detail) VALUES (1, '2026-11-20T10:00:10.000001Z', '{"code":"ECONNREFUSED"}')`,
      );
      const rowsBefore = (await c.query(ALL)).rows;
      const viewBefore = (await c.query(VIEW)).rows;
      const sizeBefore = (
        await c.query(`SELECT pg_column_size(r.*) AS b FROM probe_rows r WHERE latency_us = 12345`)
      ).rows[0].b;

      expect((await migrate(tdb.url)).applied).toEqual(before.later);
      expect(before.later[0]).toBe(ALIGNED);

      expect((await c.query(ALL)).rows).toEqual(rowsBefore);
      expect((await c.query(VIEW)).rows).toEqual(viewBefore);
      const { rows: columns } = await c.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute WHERE attrelid = 'probe_rows'::regclass AND attnum > 0 ORDER BY attnum`,
      );
      expect(columns.map((r) => r.name)).toEqual(["at", "series_id", "latency_us", "reason_id", "status"]);
      // A full row: 24-byte header + 22 bytes of data (was 24 + 28, with padding before at and latency_us).
      expect(sizeBefore).toBe(52);
      expect(
        (await c.query(`SELECT pg_column_size(r.*) AS b FROM probe_rows r WHERE latency_us = 12345`)).rows[0]
          .b,
      ).toBe(46);

      // Moved rows wait in the default partition until their days are made.
      expect(await adoptDefaultRows(c)).toBe(3);
      const { rows: parts } = await c.query<{ name: string; n: number }>(
        `SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM probe_rows GROUP BY 1 ORDER BY 1`,
      );
      expect(parts).toEqual([
        { name: "probe_rows_20261120", n: 3 },
        { name: "probe_rows_20261121", n: 1 },
        { name: "probe_rows_20261125", n: 1 },
      ]);
      // Still the key that makes a retried batch insert nothing twice.
      const again = await c.query(
        `INSERT INTO probe_rows (series_id, at, status) VALUES (1, '2026-11-20T10:00:00.123456Z', 0) ON CONFLICT DO NOTHING`,
      );
      expect(again.rowCount).toBe(0);
      expect((await c.query(ALL)).rows).toEqual(rowsBefore);
    } finally {
      await c.end();
    }
  });
});
