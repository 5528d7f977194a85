import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@vigil/db/testing/pg";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";
import { memoryIo } from "./io.ts";

/* `vigil backup` standalone (no server runs for the config): a real pg_dump of DATABASE_URL. */

const tmp = mkdtempSync(join(tmpdir(), "vigil-cli-backup-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("vigil backup", () => {
  it("dumps the external store named by DATABASE_URL and says where and how to restore", async () => {
    const pg = await createTestDatabase();
    try {
      writeFileSync(join(tmp, "vigil.yaml"), "services:\n  api: { kind: external }\n");
      const io = memoryIo({ cwd: tmp, env: { DATABASE_URL: pg.url, VIGIL_STATE_DIR: join(tmp, "state") } });
      const code = await runCli(["--config", "vigil.yaml", "backup", "out/vigil.dump"], io);
      expect(io.err()).toBe("");
      expect(code).toBe(0);
      const file = join(tmp, "out", "vigil.dump");
      expect(io.out()).toMatch(
        new RegExp(
          `^backed up the external store \\(pg_dump -Fc\\) to ${file}, \\d+ bytes, mode 0600 — standalone`,
        ),
      );
      expect(io.out()).toContain(`pg_restore --clean --dbname <url> ${file}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(execFileSync("pg_restore", ["--list", file], { encoding: "utf8" })).toMatch(
        /TABLE public job_runs/,
      );
    } finally {
      await pg.drop();
    }
  });

  it("fails with the reason and exit 1 when there is no embedded store to back up", async () => {
    writeFileSync(join(tmp, "vigil.yaml"), "services:\n  api: { kind: external }\n");
    const io = memoryIo({ cwd: tmp, env: { VIGIL_STATE_DIR: join(tmp, "state") } });
    const code = await runCli(["--config", "vigil.yaml", "backup", "x.tar.gz", "--data-dir", "nowhere"], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/no embedded store at .*nowhere \(no PG_VERSION there\)/);
  });
});
