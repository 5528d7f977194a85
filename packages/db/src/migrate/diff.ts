import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedPostgres } from "../embedded/embedded.ts";
import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from "../paths.ts";
import { withEngine } from "./engine.ts";
import { LOCKFILE, LOCKFILE_CONTENT, readMigrations } from "./files.ts";

export interface DiffOptions {
  schemaPath?: string;
  migrationsDir?: string;
  /** Defaults to the current time, as `prisma migrate dev` names folders. */
  now?: Date;
}

export type DiffOutcome = { created: false } | { created: true; dir: string; sql: string };

/** Each migration folder keeps the schema it was generated from (prisma ignores extra files). */
export const SNAPSHOT = "schema.prisma";

const noFilters = { externalTables: [], externalEnums: [] };

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Why snapshots and not `from: migrations`: the WASM engine must then describe a live shadow
 * database, which fails on these servers ("Column type 'char' could not be deserialized").
 * Diffing the last migration's schema snapshot against schema.prisma reads no database schema;
 * the engine still opens a connection, so it gets a throwaway in-memory PGlite.
 */
async function lastSnapshot(dir: string): Promise<string | null> {
  const list = await readMigrations(dir);
  const last = list.migrationDirectories.at(-1);
  if (!last) return null;
  const file = path.join(dir, last.path, SNAPSHOT);
  return readFile(file, "utf8").catch(() => {
    throw new Error(`Missing ${file}: db:diff needs the schema snapshot each migration folder keeps`);
  });
}

/** Computes the SQL that brings the existing migrations up to schema.prisma ("" when none). */
export async function diffSql(opts: Omit<DiffOptions, "now"> = {}): Promise<{ sql: string; schema: string }> {
  const file = opts.schemaPath ?? defaultSchemaPath;
  const schema = await readFile(file, "utf8");
  const previous = await lastSnapshot(opts.migrationsDir ?? defaultMigrationsDir);
  const from =
    previous === null
      ? { tag: "empty" as const }
      : { tag: "schemaDatamodel" as const, files: [{ path: file, content: previous }] };
  const scratch = await startEmbeddedPostgres({ dataDir: "memory://" });
  const result = await withEngine(
    { databaseUrl: scratch.url, schema: { path: file, content: schema } },
    (engine) =>
      engine.diff({
        from,
        to: { tag: "schemaDatamodel", files: [{ path: file, content: schema }] },
        script: true,
        exitCode: null,
        filters: noFilters,
      }),
  ).finally(() => scratch.stop());
  const sql = result.stdout ?? "";
  // The engine emits a comment-only script when nothing changed.
  return { sql: sql.replace(/^--.*$/gm, "").trim() === "" ? "" : sql, schema };
}

/**
 * Writes `prisma/migrations/<timestamp>_<name>/migration.sql` (+ the schema snapshot) for the
 * difference between the last migration and schema.prisma — what `pnpm db:diff NAME` runs.
 * Creates nothing when there is no change.
 */
export async function diffToMigration(name: string, opts: DiffOptions = {}): Promise<DiffOutcome> {
  if (!/^[a-z0-9_]+$/i.test(name)) {
    throw new Error(`Migration name "${name}" must be letters, digits and underscores (e.g. add_owner)`);
  }
  const { sql, schema } = await diffSql(opts);
  if (sql === "") return { created: false };
  const base = opts.migrationsDir ?? defaultMigrationsDir;
  const dir = path.join(base, `${timestamp(opts.now ?? new Date())}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  await writeFile(path.join(dir, SNAPSHOT), schema);
  await writeFile(path.join(base, LOCKFILE), LOCKFILE_CONTENT);
  return { created: true, dir, sql };
}
