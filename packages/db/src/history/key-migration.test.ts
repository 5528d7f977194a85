import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../migrate/migrate.ts";
import { type MigrationsBefore, migrationsBefore } from "../testing/migrations-before.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { seriesIndex } from "./closed-days.ts";
import { adoptDefaultRows, packClosedDays } from "./partitions.ts";

const KEY_PER_PARTITION = "20261201034500_probe_rows_key_per_partition";

// Rows in the aligned layout (primary key on the parent): two day partitions made as the writer
// made them then, one of them packed (fillfactor 100), a row in the default partition, nulls, µs.
const SEED = `
INSERT INTO series (service, "check") VALUES ('api', 'http'), ('db', 'tcp');
CREATE TABLE probe_rows_20261120 (LIKE probe_rows INCLUDING DEFAULTS);
ALTER TABLE probe_rows ATTACH PARTITION probe_rows_20261120 FOR VALUES FROM ('2026-11-20T00:00:00Z') TO ('2026-11-21T00:00:00Z');
CREATE TABLE probe_rows_20261121 (LIKE probe_rows INCLUDING DEFAULTS);
ALTER TABLE probe_rows ATTACH PARTITION probe_rows_20261121 FOR VALUES FROM ('2026-11-21T00:00:00Z') TO ('2026-11-22T00:00:00Z');
ALTER INDEX probe_rows_20261120_pkey SET (fillfactor = 100);
INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id) VALUES
  (1, '2026-11-20T10:00:00.123456Z', 0, 12345, NULL),
  (1, '2026-11-20T10:00:10.000001Z', 2, NULL, NULL),
  (2, '2026-11-20T23:59:59.999999Z', 1, 2147483647, NULL),
  (2, '2026-11-21T00:00:00Z', 0, -2147483647, NULL),
  (1, '2026-11-25T08:00:00Z', 0, 0, NULL)`;

const ALL = `SELECT tableoid::regclass::text AS part, series_id, at, status, latency_us, reason_id
             FROM probe_rows ORDER BY series_id, at`;
const KEYS = `SELECT c.relname AS part, ic.relname AS index, x.indisunique AS unique, x.indisprimary AS primary
              FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class ic ON ic.oid = x.indexrelid
              WHERE c.relname LIKE 'probe_rows%' AND c.relname NOT LIKE 'probe_row_extras%' ORDER BY 1, 2`;

describe("probe_rows key per partition migration (aligned layout seeded, then migrated)", () => {
  let tdb: TestDatabase;
  let before: MigrationsBefore;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
    before = await migrationsBefore(KEY_PER_PARTITION);
  });
  afterAll(async () => {
    await tdb?.drop();
    await before?.remove();
  });

  it("keeps every row where it was, gives each partition its own key, and the key still dedupes", async () => {
    await migrate(tdb.url, { migrationsDir: before.dir });
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      for (const sql of SEED.split(";")) await c.query(sql);
      const rowsBefore = (await c.query(ALL)).rows;
      expect(rowsBefore.map((r) => r.part)).toContain("probe_rows_default");

      expect((await migrate(tdb.url)).applied).toEqual(before.later);
      expect(before.later[0]).toBe(KEY_PER_PARTITION);

      expect((await c.query(ALL)).rows).toEqual(rowsBefore);
      expect((await c.query(KEYS)).rows).toEqual(
        ["probe_rows_20261120", "probe_rows_20261121", "probe_rows_default"].map((part) => ({
          part,
          index: `${part}_key`,
          unique: true,
          primary: false,
        })),
      );
      // A retried row inserts nothing, in a day partition and in the default one.
      for (const at of ["2026-11-20T10:00:00.123456Z", "2026-11-25T08:00:00Z"]) {
        const again = await c.query(
          "INSERT INTO probe_rows (series_id, at, status) VALUES (1, $1, 0) ON CONFLICT DO NOTHING",
          [at],
        );
        expect(again.rowCount).toBe(0);
      }
      // Days made after the migration get their key too; closed days pack as usual.
      expect(await adoptDefaultRows(c)).toBe(1);
      const made = await c.query(`SELECT indexrelid::regclass::text AS i FROM pg_index
                                  WHERE indrelid = 'probe_rows_20261125'::regclass`);
      expect(made.rows).toEqual([{ i: "probe_rows_20261125_key" }]);
      expect(await packClosedDays(c, new Date("2026-11-22T01:00:00Z"))).toEqual([
        "probe_rows_20261120",
        "probe_rows_20261121",
      ]);
      const packed = await c.query(`SELECT indexrelid::regclass::text AS i FROM pg_index
                                    WHERE indrelid = 'probe_rows_20261120'::regclass`);
      expect(packed.rows).toEqual([{ i: seriesIndex("probe_rows_20261120") }]);
      expect((await c.query(ALL)).rows.map(({ part, ...r }) => r)).toEqual(
        rowsBefore.map(({ part, ...r }) => r),
      );
    } finally {
      await c.end();
    }
  });
});
