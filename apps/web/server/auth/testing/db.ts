import { createDb } from "@vigil/db";
import { createTestDatabase } from "@vigil/db/testing/pg";
import type { Sql } from "../sql.ts";

/** A throwaway database on the real Postgres, migrated (auth's tables included); `drop()` removes it. */
export async function authDatabase(): Promise<{ url: string; sql: Sql; drop(): Promise<void> }> {
  const pg = await createTestDatabase();
  const db = createDb({ url: pg.url, maxConnections: 3 });
  return {
    url: pg.url,
    sql: db.pool,
    async drop() {
      await db.close();
      await pg.drop();
    },
  };
}
