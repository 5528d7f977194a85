import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);
const HOST = process.env.VIGIL_TEST_PGHOST ?? "127.0.0.1";
const PORT = process.env.VIGIL_TEST_PGPORT ?? "5432";
const USER = process.env.VIGIL_TEST_PGUSER ?? "postgres";

async function psql(sql: string): Promise<void> {
  await run(
    "psql",
    ["-h", HOST, "-p", PORT, "-U", USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
    {
      timeout: 30_000,
    },
  );
}

/**
 * A throwaway database on the machine's real Postgres (trust auth), dropped by `drop()`. Uses
 * the psql client so the web package needs no Postgres driver of its own.
 */
export async function createThrowawayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vigil_web_${randomBytes(5).toString("hex")}`;
  await psql(`create database ${name}`);
  return {
    url: `postgresql://${USER}@${HOST}:${PORT}/${name}`,
    drop: () => psql(`drop database if exists ${name} with (force)`),
  };
}
