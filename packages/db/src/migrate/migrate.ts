import { migrationsDir } from "../paths.ts";
import { withEngine } from "./engine.ts";
import { readMigrations } from "./files.ts";

export interface MigrateOptions {
  /** Defaults to the repo's prisma/migrations. */
  migrationsDir?: string;
  /** 1 (the default) also suits PGlite's one-connection server. */
  maxConnections?: number;
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * Applies every not-yet-applied `prisma/migrations/*\/migration.sql` to `databaseUrl` with the
 * WASM schema engine, recording them in `_prisma_migrations` exactly as `prisma migrate deploy`
 * does. Idempotent: a second run returns `applied: []`.
 */
export async function migrate(
  databaseUrl: string,
  opts: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrations(opts.migrationsDir ?? migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new Error(`No migrations found in ${migrationsList.baseDir}`);
  }
  const out = await withEngine({ databaseUrl, maxConnections: opts.maxConnections ?? 1 }, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilters }),
  );
  return { applied: out.appliedMigrationNames };
}
