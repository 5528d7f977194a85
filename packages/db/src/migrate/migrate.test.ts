import { readdirSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir } from "../paths.ts";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";
import { diffSql } from "./diff.ts";
import { migrate } from "./migrate.ts";

// Every migration folder in the repo (the count grows as migrations are added).
const MIGRATIONS = readdirSync(migrationsDir).filter((d) => /^\d{14}_/.test(d)).length;

describe("migrate (real Postgres)", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("applies the migrations to an empty database, then nothing on a second run", async () => {
    const first = await migrate(tdb.url);
    expect(first.applied[0]).toMatch(/^\d{14}_init$/);
    expect(first.applied).toHaveLength(MIGRATIONS);
    expect(await migrate(tdb.url)).toEqual({ applied: [] });

    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      const rows = await c.query(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations",
      );
      expect(rows.rows).toHaveLength(MIGRATIONS);
      const [row] = rows.rows;
      // Same shape `prisma migrate deploy` writes: sha256 checksum, finished, one step, not rolled back.
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      const tables = await c.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        "_prisma_migrations",
        "actions",
        "alert_deliveries",
        "alert_outbox",
        "alert_silences",
        "api_tokens",
        "audit_log",
        "auth_secrets",
        "badges",
        "cluster_decisions",
        "cluster_lease",
        "cluster_members",
        "deploy_hook_nonces",
        "deploy_hooks",
        "events",
        "incident_events",
        "incidents",
        "job_runs",
        "probe_results",
        "probe_row_extras",
        "probe_row_extras_default",
        "probe_rows",
        "probe_rows_default",
        "reasons",
        "resource_samples",
        "rollup_hour",
        "rollup_minute",
        "rollup_value_hour",
        "rollup_value_minute",
        "series",
        "services",
        "sessions",
        "share_links",
        "socket_io_attachments",
        "status_notices",
        "status_page_updates",
        "status_pages",
        "store_meta",
        "users",
      ]);
    } finally {
      await c.end();
    }
  });

  it("reports no changes when schema.prisma matches the migrations", async () => {
    expect((await diffSql()).sql).toBe("");
  });
});
