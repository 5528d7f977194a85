import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsDir, schemaPath } from "../paths.ts";
import { diffToMigration } from "./diff.ts";

describe("diffToMigration (db:diff)", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("creates nothing without changes, then a migration with the new column", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "vigil-diff-"));
    const migrations = path.join(dir, "migrations");
    await cp(migrationsDir, migrations, { recursive: true });
    const schema = path.join(dir, "schema.prisma");
    const original = await readFile(schemaPath, "utf8");
    await writeFile(schema, original);
    expect(await diffToMigration("noop", { schemaPath: schema, migrationsDir: migrations })).toEqual({
      created: false,
    });

    await writeFile(schema, original.replace("model Service {", "model Service {\n  owner String?"));
    const out = await diffToMigration("add_owner", {
      schemaPath: schema,
      migrationsDir: migrations,
      now: new Date("2030-01-02T03:04:05Z"),
    });
    expect(out).toMatchObject({ created: true, dir: path.join(migrations, "20300102030405_add_owner") });
    expect(out.created && out.sql).toContain('ALTER TABLE "services" ADD COLUMN     "owner" TEXT;');
    expect((await readdir(migrations)).sort()).toContain("20300102030405_add_owner");
    // The new snapshot makes the next diff empty again.
    expect(await diffToMigration("again", { schemaPath: schema, migrationsDir: migrations })).toEqual({
      created: false,
    });
    await expect(
      diffToMigration("bad name", { schemaPath: schema, migrationsDir: migrations }),
    ).rejects.toThrow(/letters/);
  });
});
