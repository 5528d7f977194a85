import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCopies } from "../backup/copies.ts";
import { runOnce } from "../run-once.ts";
import { drillTask } from "./drill.ts";
import { postgresBackupTask } from "./postgres-backup.ts";
import type { JobTask } from "./task.ts";

/* A real pg_dump of a seeded throwaway database, and restore drills on the real server. */

const ADMIN = "postgres://postgres@127.0.0.1:5432/postgres";
const db = `vigil_bk_${process.pid}_${Date.now()}`;
// Trust auth ignores the password; it is there to prove it never reaches a log line or argv.
const url = `postgres://postgres:s3cret-Pa55word@127.0.0.1:5432/${db}`;
let dir: string;

async function sql(text: string, database = "postgres"): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: ADMIN.replace(/\/postgres$/, `/${database}`) });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

const run = (job: string, task: JobTask) =>
  runOnce({
    job,
    runId: randomUUID(),
    trigger: "test",
    attempt: 1,
    timeoutMs: 60_000,
    signal: new AbortController().signal,
    task,
  });

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), "vigil-pgbk-")), "backups");
  await sql(`CREATE DATABASE ${db}`);
  await sql(
    "CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 250) g",
    db,
  );
});

afterAll(async () => {
  await sql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  rmSync(join(dir, ".."), { recursive: true, force: true });
});

const drill = (check: string, expect: { minRows?: number; equals?: string } = {}) =>
  drillTask({ of: "pgbk", destination: dir, server: { url }, check, expect });

const scratchDatabases = async () =>
  (await sql("SELECT datname FROM pg_database WHERE datname LIKE 'vigil_drill_%'")).rows.length;

describe("postgres backup template and restore drill (real pg_dump, pg_restore)", () => {
  it("dumps the database with pg_dump -Fc into a 0600 file in a 0700 directory, password never shown", async () => {
    const result = await run(
      "pgbk",
      postgresBackupTask({ type: "postgres", url, destination: dir, retention: { keepCopies: 5 } }),
    );
    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    const [copy] = await listCopies(dir, "pgbk");
    expect(copy?.file).toMatch(/^pgbk-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.dump$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(copy?.path ?? "").mode & 0o777).toBe(0o600);
    // A custom-format archive that pg_restore reads, holding the seeded table.
    expect(
      readFileSync(copy?.path ?? "")
        .subarray(0, 5)
        .toString(),
    ).toBe("PGDMP");
    expect(execFileSync("pg_restore", ["--list", copy?.path ?? ""], { encoding: "utf8" })).toMatch(
      /TABLE DATA public users/,
    );
    expect(result.outputTail.join("\n")).not.toContain("s3cret-Pa55word");
    expect(result.outputTail).toContainEqual(expect.stringMatching(/^wrote .*pgbk-.*\.dump \(\d+ bytes\)$/));
  });

  it("a drill fails when its check does not hold", async () => {
    const result = await run("pgbk-drill", drill("SELECT count(*) FROM users", { equals: "999" }));
    expect(result).toMatchObject({ outcome: "failed", exitCode: 1 });
    expect(result.outputTail.at(-1)).toBe("drill failed: check returned 250, expected 999");
    expect((await listCopies(dir, "pgbk"))[0]?.drill).toMatchObject({ passed: false });
  });

  it("a drill restores the newest dump into a scratch database, runs the check and marks the copy good", async () => {
    const result = await run("pgbk-drill", drill("SELECT count(*) FROM users", { equals: "250" }));
    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    expect(result.outputTail.join("\n")).not.toContain("s3cret-Pa55word");
    const [copy] = await listCopies(dir, "pgbk");
    expect(copy?.drill).toMatchObject({ passed: true, by: "pgbk-drill" });
    expect(await scratchDatabases()).toBe(0);
  });

  it("a drill fails on a corrupted dump, marks the copy bad, and drops its scratch database", async () => {
    await run(
      "pgbk",
      postgresBackupTask({ type: "postgres", url, destination: dir, retention: { keepCopies: 5 } }),
    );
    const [newest] = await listCopies(dir, "pgbk");
    const bytes = readFileSync(newest?.path ?? "");
    // Keep the header, scramble the rest: pg_restore must notice.
    writeFileSync(
      newest?.path ?? "",
      Buffer.concat([bytes.subarray(0, 64), Buffer.alloc(bytes.length - 64, 0x5a)]),
    );
    const result = await run("pgbk-drill", drill("SELECT count(*) FROM users"));
    expect(result).toMatchObject({ outcome: "failed", exitCode: 1 });
    // Either pg_restore refuses the archive or restores nothing the check can find.
    expect(result.outputTail.at(-1)).toMatch(/^drill failed: (pg_restore failed|check query failed)/);
    const copies = await listCopies(dir, "pgbk");
    expect(copies[0]?.drill).toMatchObject({ passed: false });
    expect(copies[1]?.drill).toMatchObject({ passed: true });
    expect(await scratchDatabases()).toBe(0);
  });

  it("a drill with no copy to restore fails and says where it looked", async () => {
    const result = await run(
      "none-drill",
      drillTask({ of: "nothing", destination: dir, server: { url }, check: "SELECT 1", expect: {} }),
    );
    expect(result).toMatchObject({ outcome: "failed" });
    expect(result.outputTail.at(-1)).toBe(`no backup of "nothing" in ${dir} to drill`);
  });
});
