export { createDb, type Db, type DbOptions, redact } from "./client.ts";
export { type EmbeddedOptions, type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded/embedded.ts";
export * from "./history/index.ts";
export { type DiffOutcome, diffToMigration } from "./migrate/diff.ts";
export { type MigrateOptions, migrate } from "./migrate/migrate.ts";
export { type OpenedDatabase, type OpenOptions, openDatabase } from "./open.ts";
