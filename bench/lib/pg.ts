import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { repoRoot } from "./paths.ts";

/*
 * The machine's real Postgres (127.0.0.1:5432, trust auth) through the `pg` driver that
 * packages/db already depends on (no new dependency): throwaway databases and set-based SQL.
 */

type PgModule = typeof import("../../packages/db/node_modules/@types/pg/index.d.ts");
export type Pool = InstanceType<PgModule["Pool"]>;

const require = createRequire(path.join(repoRoot, "packages", "db", "package.json"));
const pg = require("pg") as PgModule;

const HOST = process.env.BENCH_PGHOST ?? "127.0.0.1";
const PORT = Number(process.env.BENCH_PGPORT ?? 5432);
const USER = process.env.BENCH_PGUSER ?? "postgres";

export function urlOf(database: string): string {
  return `postgresql://${USER}@${HOST}:${PORT}/${database}`;
}

export function pool(database: string, max = 2): Pool {
  return new pg.Pool({ connectionString: urlOf(database), max, connectionTimeoutMillis: 10_000 });
}

/** Runs one statement on the maintenance database (create/drop database cannot run in a pool txn). */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlOf("postgres"), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database named `vigil_bench_<scenario>_<random>`; `drop()` removes it (forcing out sessions). */
export async function createThrowawayDatabase(
  scenario: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `vigil_bench_${scenario}_${randomBytes(4).toString("hex")}`;
  await admin(`create database ${name}`);
  return { name, url: urlOf(name), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
