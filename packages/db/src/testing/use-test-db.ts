import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "./pg.ts";

/**
 * A migrated throwaway database and a client on it for the enclosing `describe` (or file):
 * created before its tests, closed and dropped after them. Read `db` inside tests and hooks only.
 */
export function useTestDb(): { readonly db: Db; readonly tdb: TestDatabase } {
  let tdb: TestDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useTestDb: read before its beforeAll ran");
    return value;
  };
  return {
    get db() {
      return ready(db);
    },
    get tdb() {
      return ready(tdb);
    },
  };
}
