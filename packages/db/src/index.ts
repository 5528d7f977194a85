export {
  createIncidentStore,
  type IncidentFilter,
  type IncidentStore,
  type StoredIncident,
  type StoredIncidentEvent,
} from "./alerting/incidents.ts";
export { createOutboxStore } from "./alerting/outbox-store.ts";
export {
  type AlertQueries,
  type ChannelSummary,
  createAlertQueries,
  type DeliveryLogRow,
} from "./alerting/queries.ts";
export { createDb, type Db, type DbOptions, redact } from "./client.ts";
export * from "./cluster/index.ts";
export { type EmbeddedOptions, type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded/embedded.ts";
export * from "./history/index.ts";
export { createJobRunStore, type JobRunHistory, type JobRunRow } from "./jobs/job-run-store.ts";
export { type DiffOutcome, diffToMigration } from "./migrate/diff.ts";
export { type MigrateOptions, migrate } from "./migrate/migrate.ts";
export { type OpenedDatabase, type OpenOptions, openDatabase } from "./open.ts";
