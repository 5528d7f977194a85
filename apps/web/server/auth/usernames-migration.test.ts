import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createDb } from "@vigil/db";
import { createTestDatabase } from "@vigil/db/testing/pg";
import { expect, it } from "vitest";
import { findRepoRoot } from "../startup/paths.ts";

/*
 * The fold_usernames migration over a real database that already holds case variants (as any
 * Vigil from before issue 19 may): the migrations before it run, rows go in, then it runs.
 */

const FOLD = "fold_usernames";

it("fold_usernames keeps every account, gives the oldest the folded name, then refuses unfolded names", async () => {
  const root = findRepoRoot(import.meta.dirname);
  if (!root) throw new Error("repository root not found");
  const dir = join(root, "prisma", "migrations");
  const all = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const foldAt = all.findIndex((name) => name.endsWith(`_${FOLD}`));
  expect(foldAt).toBeGreaterThan(0);
  const sqlOf = (name: string) => readFileSync(join(dir, name, "migration.sql"), "utf8");

  const pg = await createTestDatabase({ migrate: false });
  const db = createDb({ url: pg.url, maxConnections: 1 });
  try {
    for (const name of all.slice(0, foldAt)) await db.pool.query(sqlOf(name));
    const insert = (id: string, name: string, at: string) =>
      db.pool.query(
        "insert into users (id, username, password_hash, role, created_at) values ($1::uuid, $2, 'x', 'viewer', $3)",
        [id, name, at],
      );
    await insert("00000000-0000-4000-8000-000000000001", "OPS", "2026-01-01T00:00:00Z");
    await insert("00000000-0000-4000-8000-000000000002", "ops", "2026-02-01T00:00:00Z");
    await insert("aaaaaaaa-0000-4000-8000-000000000003", "Ops", "2026-03-01T00:00:00Z");
    await insert("00000000-0000-4000-8000-000000000004", "Dana", "2026-01-01T00:00:00Z");
    await db.pool.query(sqlOf(all[foldAt] ?? ""));

    const rows = await db.pool.query("select id::text as id, username from users order by id");
    expect(rows.rows).toEqual([
      { id: "00000000-0000-4000-8000-000000000001", username: "ops" },
      { id: "00000000-0000-4000-8000-000000000002", username: "ops-00000000" },
      { id: "00000000-0000-4000-8000-000000000004", username: "dana" },
      { id: "aaaaaaaa-0000-4000-8000-000000000003", username: "ops-aaaaaaaa" },
    ]);
    await expect(
      insert("00000000-0000-4000-8000-000000000005", "Eve", "2026-04-01T00:00:00Z"),
    ).rejects.toThrow(/users_username_folded/);
  } finally {
    await db.close();
    await pg.drop();
  }
});
