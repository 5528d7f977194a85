import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INTERRUPTED_MESSAGE } from "@vigil/db";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing/pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./database.ts";
import { findRepoRoot } from "./paths.ts";

describe("opening the database after a Vigil that died mid-action (real Postgres)", () => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
    dir = mkdtempSync(join(tmpdir(), "vigil-db-open-"));
  });
  afterAll(async () => {
    await tdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (log: (line: string) => void) =>
    openDatabase({
      databaseUrl: tdb.url,
      dataDir: join(dir, "unused"),
      migrationsDir: join(findRepoRoot(import.meta.dirname) ?? "", "prisma", "migrations"),
      log,
    });

  it("shows the action it left running as failed (interrupted), and says so in the log", async () => {
    const first = await open(() => undefined);
    // What a Vigil killed during a restart leaves behind: the row written when the action began.
    await first.sql.query(
      `INSERT INTO actions (id, kind, targets, requested_by, started_at)
       VALUES ('a-1', 'restart', ARRAY['api'], 'alice', now() - interval '1 minute')`,
    );
    await first.close(5000);

    const lines: string[] = [];
    const second = await open((line) => lines.push(line));
    try {
      expect(lines).toContain("actions: 1 left unfinished by the previous run marked failed (interrupted)");
      const action = await second.store.action("a-1");
      expect(action).toMatchObject({ result: "failed", message: INTERRUPTED_MESSAGE });
      expect(action?.finishedAt).toBeInstanceOf(Date);
    } finally {
      await second.close(5000);
    }
  });
});
