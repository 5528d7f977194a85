import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/pg.ts";

const writer = fileURLToPath(new URL("../testing/kill-writer.ts", import.meta.url));
const pkgDir = fileURLToPath(new URL("../..", import.meta.url));

describe("durability", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("keeps every acknowledged result after the writer is killed with SIGKILL", async () => {
    // node --import tsx (not the tsx wrapper) so the SIGKILL hits the writing process itself.
    const child = spawn(process.execPath, ["--import", "tsx", writer, tdb.url], {
      cwd: pkgDir,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let acked = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("writer never acknowledged 1000 results")), 30_000);
      child.stdout.on("data", (buf: Buffer) => {
        for (const m of buf.toString().matchAll(/ACK (\d+)/g)) acked = Math.max(acked, Number(m[1]));
        if (acked >= 1000) {
          clearTimeout(timer);
          // Kill mid-stream: the writer is already buffering and flushing the next batch.
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await exited;
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      const { rows } = await c.query(
        "SELECT count(*)::int AS n, count(DISTINCT message)::int AS d FROM probe_results",
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(acked);
      expect(rows[0].d).toBe(rows[0].n);
      const { rows: roll } = await c.query("SELECT sum(count)::int AS n FROM rollup_hour");
      expect(roll[0].n).toBe(rows[0].n);
    } finally {
      await c.end();
    }
  });
});
