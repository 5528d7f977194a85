import { readFile } from "node:fs/promises";
import { createDb, migrate } from "@vigil/db";
import { createThrowawayDatabase } from "../../testing/pg.ts";
import type { Sql } from "../sql.ts";

/** A throwaway, migrated database on the real Postgres with auth's tables; `drop()` removes it. */
export async function authDatabase(): Promise<{ url: string; sql: Sql; drop(): Promise<void> }> {
  const pg = await createThrowawayDatabase();
  await migrate(pg.url);
  const db = createDb({ url: pg.url, maxConnections: 3 });
  const ddl = new URL("./ddl.sql", import.meta.url);
  const exists = await db.pool.query("select to_regclass('public.users') as t");
  if ((exists.rows[0] as { t: string | null }).t === null) await db.pool.query(await readFile(ddl, "utf8"));
  return {
    url: pg.url,
    sql: db.pool,
    async drop() {
      await db.close();
      await pg.drop();
    },
  };
}
