export { BUCKETS, bucketBounds, bucketOf, quantile } from "./histogram.ts";
export { closeInterruptedActions, INTERRUPTED_MESSAGE } from "./interrupted.ts";
export { type EventRow, type HistoryQueries, pickResolution, type QueryOptions } from "./queries.ts";
export { HistoryInputError, RAW_MAX_SPAN_MS, RAW_PAGE_ROWS } from "./raw.ts";
export { RESOURCE_CHECK } from "./resources.ts";
export type { PruneCounts, Retention, RetentionOptions } from "./retention.ts";
export { DEFAULT_STATEMENT_TIMEOUT_MS, isQueryCanceled, withStatementTimeout } from "./statement-timeout.ts";
export { createHistoryStore, type HistoryStore, type HistoryStoreOptions } from "./store.ts";
export type * from "./types.ts";
