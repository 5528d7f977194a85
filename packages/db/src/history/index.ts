export { BUCKETS, bucketBounds, bucketOf, quantile } from "./histogram.ts";
export { closeInterruptedActions, INTERRUPTED_MESSAGE } from "./interrupted.ts";
export { type EventRow, type HistoryQueries, pickResolution } from "./queries.ts";
export type { PruneCounts, Retention, RetentionOptions } from "./retention.ts";
export { createHistoryStore, type HistoryStore, type HistoryStoreOptions } from "./store.ts";
export type * from "./types.ts";
