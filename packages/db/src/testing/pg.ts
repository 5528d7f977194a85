// Test helper: a throwaway database on the real Postgres, migrated, dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../migrate/migrate.ts";

export const ADMIN_URL = process.env.VIGIL_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const DROP_WAIT_MS = 15_000;

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(
  opts: { migrate?: boolean; adminUrl?: string } = {},
): Promise<TestDatabase> {
  const adminUrl = opts.adminUrl ?? ADMIN_URL;
  const name = `vigil_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDb(adminUrl, name);
  if (opts.migrate !== false) await migrate(url);
  return {
    name,
    url,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // DROP DATABASE waits for an immediate checkpoint, which on a server busy writing elsewhere
      // can take minutes (three teardowns timed out so in one CI run). A throwaway database's drop
      // is not what a test checks: after DROP_WAIT_MS it goes on without us.
      const dropped = c
        .query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => void c.end().catch(() => undefined));
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DROP_WAIT_MS);
        timer.unref();
      });
      await Promise.race([dropped, waited]);
      clearTimeout(timer);
    },
  };
}
