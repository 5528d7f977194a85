import { createDb, type Db, migrate } from "../../packages/db/src/index.ts";
import type { Cleanup } from "./cleanup.ts";
import { createThrowawayDatabase } from "./pg.ts";

/**
 * A throwaway database on the machine's Postgres, migrated with the package's own `migrate`
 * (the same migrations `pnpm db:migrate` applies), and a `Db` on it. All dropped by the cleanup.
 */
export async function migratedDatabase(
  cleanup: Cleanup,
  scenario: string,
  maxConnections = 5,
): Promise<{ name: string; url: string; db: Db }> {
  const database = await createThrowawayDatabase(scenario);
  cleanup.add(`database ${database.name}`, () => database.drop());
  await migrate(database.url);
  const db = createDb({ url: database.url, maxConnections, queryTimeoutMs: 600_000 });
  cleanup.add("db pool", () => db.close());
  return { name: database.name, url: database.url, db };
}
