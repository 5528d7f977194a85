import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../migrate/migrate.ts";
import { type MigrationsBefore, migrationsBefore } from "../testing/migrations-before.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { adoptDefaultRows } from "./partitions.ts";

const LEAN = "20261130184500_lean_probe_results";

interface OldRow {
  service: string;
  check: string;
  at: Date;
  status: string;
  latency_ms: number | null;
  message: string | null;
  detail: unknown;
  value_map: unknown;
}

const ROWS: OldRow[] = [
  {
    service: "api",
    check: "http",
    at: new Date("2026-11-20T10:00:00.123Z"),
    status: "healthy",
    latency_ms: 12.345,
    message: "HTTP 200",
    detail: null,
    value_map: null,
  },
  // Same check, same millisecond, another uid: both must survive the (series_id, at) key.
  {
    service: "api",
    check: "http",
    at: new Date("2026-11-20T10:00:00.123Z"),
    status: "unhealthy",
    latency_ms: null,
    message: "connect ECONNREFUSED 127.0.0.1:8080",
    detail: { code: "ECONNREFUSED" },
    value_map: null,
  },
  {
    service: "api",
    check: "tls",
    at: new Date("2026-11-21T23:59:59.999Z"),
    status: "degraded",
    latency_ms: 3,
    message: "certificate expires in 3 days",
    detail: null,
    value_map: { days_remaining: 3.5 },
  },
  {
    service: "db",
    check: "tcp",
    at: new Date("2026-11-22T00:00:00Z"),
    status: "healthy",
    latency_ms: 0.25,
    message: null,
    detail: null,
    value_map: null,
  },
];

describe("lean probe_results migration (old layout seeded, then migrated)", () => {
  let tdb: TestDatabase;
  let before: MigrationsBefore;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
    // Every migration up to the one before this change, in a directory of their own.
    before = await migrationsBefore(LEAN);
  });
  afterAll(async () => {
    await tdb?.drop();
    await before?.remove();
  });

  it("moves every old row, with the same values, and the view reads them as before", async () => {
    await migrate(tdb.url, { migrationsDir: before.dir });
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      for (const r of ROWS) {
        await c.query(
          `INSERT INTO probe_results (uid, service, "check", at, status, latency_ms, message, detail, value_map)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            r.service,
            r.check,
            r.at,
            r.status,
            r.latency_ms,
            r.message,
            r.detail === null ? null : JSON.stringify(r.detail),
            r.value_map === null ? null : JSON.stringify(r.value_map),
          ],
        );
      }
      expect((await migrate(tdb.url)).applied).toEqual(before.later);
      expect(before.later[0]).toBe(LEAN);
      const { rows } = await c.query<OldRow>(
        `SELECT service, "check", at, status, latency_ms, message, detail, value_map FROM probe_results
         ORDER BY at, status`,
      );
      const order = (a: OldRow, b: OldRow) =>
        a.at.getTime() - b.at.getTime() || a.status.localeCompare(b.status);
      expect(rows).toEqual([...ROWS].sort(order));
      // Moved rows start in the default partition; retention (adoptDefaultRows) gives them their days.
      expect(await adoptDefaultRows(c)).toBe(3);
      expect((await c.query(`SELECT count(*)::int AS n FROM probe_results`)).rows[0].n).toBe(ROWS.length);
      const { rows: parts } = await c.query<{ name: string; n: number }>(
        `SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM probe_rows GROUP BY 1 ORDER BY 1`,
      );
      expect(parts).toEqual([
        { name: "probe_rows_20261120", n: 2 },
        { name: "probe_rows_20261121", n: 1 },
        { name: "probe_rows_20261122", n: 1 },
      ]);
    } finally {
      await c.end();
    }
  });
});
