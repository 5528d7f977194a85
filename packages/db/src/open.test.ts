import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./open.ts";
import { migrationsDir } from "./paths.ts";
import { createTestDatabase, type TestDatabase } from "./testing/pg.ts";

// Every migration folder in the repo (the count grows as migrations are added).
const MIGRATIONS = readdirSync(migrationsDir).filter((d) => /^\d{14}_/.test(d)).length;

describe("openDatabase", () => {
  let tdb: TestDatabase | undefined;
  let dir = "";
  afterAll(async () => {
    await tdb?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("migrates and uses DATABASE_URL when given, saying so without the password", async () => {
    tdb = await createTestDatabase({ migrate: false });
    const url = new URL(tdb.url);
    url.password = "hunter2";
    const opened = await openDatabase({ databaseUrl: url.toString() });
    try {
      expect(opened.mode).toBe("external");
      expect(opened.applied).toHaveLength(MIGRATIONS);
      expect(opened.description).toContain("PostgreSQL at postgresql://postgres:***@127.0.0.1:5432/");
      expect(opened.description).not.toContain("hunter2");
      expect(await opened.db.prisma.service.count()).toBe(0);
    } finally {
      await opened.close();
    }
  });

  it("falls back to the embedded PGlite, migrated, when no URL is set", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-open-"));
    const opened = await openDatabase({ databaseUrl: "", dataDir: path.join(dir, "pgdata") });
    try {
      expect(opened.mode).toBe("embedded");
      expect(opened.description).toMatch(
        /^Using embedded PostgreSQL \(PGlite\) with data in .*pgdata, on 127\.0\.0\.1:\d+/,
      );
      await opened.db.prisma.service.create({ data: { name: "api", kind: "process" } });
      expect(await opened.db.prisma.service.count()).toBe(1);
    } finally {
      await opened.close();
    }
  });
});
