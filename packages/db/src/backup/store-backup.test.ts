import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/pg.ts";
import { backupStore } from "./store-backup.ts";

/* `vigil backup` standalone: the real Postgres through pg_dump, a real PGlite data directory. */

const root = mkdtempSync(join(tmpdir(), "vigil-store-bk-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("store backup", () => {
  it("dumps an external store with pg_dump -Fc into a 0600 file (directory made 0700)", async () => {
    const pg = await createTestDatabase();
    try {
      const out = join(root, "new-dir", "vigil.dump");
      const result = await backupStore({ databaseUrl: pg.url, dataDir: "unused", out });
      expect(result).toMatchObject({ path: out, store: "external", format: "pg_dump -Fc" });
      expect(result.bytes).toBe(statSync(out).size);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(statSync(join(root, "new-dir")).mode & 0o777).toBe(0o700);
      expect(execFileSync("pg_restore", ["--list", out], { encoding: "utf8" })).toMatch(
        /TABLE public job_runs/,
      );
    } finally {
      await pg.drop();
    }
  });

  it("dumps the embedded PGlite store, and the dump opens again with its rows", async () => {
    const dataDir = join(root, "pgdata");
    const seed = await PGlite.create(dataDir);
    await seed.exec("CREATE TABLE probes (id int); INSERT INTO probes SELECT generate_series(1, 17);");
    await seed.close();
    const out = join(root, "embedded.tar.gz");
    const result = await backupStore({ dataDir, out });
    expect(result).toMatchObject({ store: "embedded", format: "pglite data dir (tar.gz)" });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const restored = await PGlite.create({ loadDataDir: new Blob([readFileSync(out)]) });
    try {
      const { rows } = await restored.query<{ n: number }>("SELECT count(*)::int AS n FROM probes");
      expect(rows[0]?.n).toBe(17);
    } finally {
      await restored.close();
    }
    // PGlite's initdb runs in WASM: tens of seconds on a loaded 2-core machine.
  }, 600_000);

  it("says where it looked when there is no embedded store, and writes nothing", async () => {
    const out = join(root, "none.tar.gz");
    await expect(backupStore({ dataDir: join(root, "absent"), out })).rejects.toThrow(
      /no embedded store at .*absent \(no PG_VERSION there\)/,
    );
    expect(() => statSync(out)).toThrow();
  });

  it("reports pg_dump's own error for a store it cannot reach, password masked", async () => {
    await expect(
      backupStore({
        databaseUrl: "postgres://vigil:hunter2-pw@127.0.0.1:1/vigil",
        dataDir: "unused",
        out: join(root, "x.dump"),
      }),
    ).rejects.toThrow(
      /^pg_dump of postgres:\/\/vigil@127\.0\.0\.1:1\/vigil failed \(exit code 1\): .*(refused|connect)/s,
    );
  });
});
