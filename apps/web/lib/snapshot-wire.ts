import * as z from "zod/mini";
import {
  CheckView,
  DockerHealth,
  JobView,
  ResultStatus,
  ServiceStatus,
  ServiceView,
  StoreHealth,
} from "./contract-views";
import { DIGIT_PATTERN } from "./vlq";

/*
 * The board on connect, packed: a ServicesResponse for 1,000 services is ~610 kB as JSON, most of
 * it key names repeated per service and 30-point sparklines. Here every field is a column — one
 * base64 VLQ string (vlq.ts) holding that field for every service in board order — strings are
 * sent once and referred to by index, enums by position, times as milliseconds before
 * `generatedAt`. The server packs with server/socket/snapshot-encode.ts; snapshot-decode.ts turns
 * it back into the exact ServicesResponse the board reads.
 *
 * Exact on the way back, except two fields rounded below what the UI can show:
 * - sparkline points: exact (0.1 ms) when a series spans up to 6.2 ms; wider series are stored as
 *   one of 63 levels between their min and max (both kept exact), an error of at most 1/124 of
 *   the span — under 0.2 px of the 22-px line a tile draws;
 * - uptime24h: to 1e-6 (the UI shows 0.01 % = 1e-4).
 */

/** Bump on any change to the columns, their contents or the enum orders below. */
export const SNAPSHOT_FORMAT = 5;

/* Enum orders on the wire: the contract's own order. */
export const SERVICE_KINDS = ServiceView.shape.kind.options;
export const STATUSES = ServiceStatus.options;
export const CHECK_STATES = CheckView.shape.state.options;
export const CIRCUITS = CheckView.shape.circuit.options;
export const RESULT_STATUSES = ResultStatus.options;
export const DOCKER_HEALTHS = DockerHealth.options;

/** Sparkline levels 0..62 between a series' min and max; the digit 63 is a failed run (null). */
export const SPARK_LEVELS = 62;
export const SPARK_NULL = 63;
/** uptime24h travels in millionths. */
export const UPTIME_SCALE = 1_000_000;

/**
 * Per service. Lists (dependsOn, dependents, blockedBy) are a count then service references;
 * a reference below names.length is a service, above it a string. `checks` is the service's check
 * count; its checks follow in the check columns. `sparkline`: count, then min and span in 0.1 ms
 * (when count > 0), then one level digit per point. `node` and `host`: nullable strings (where a
 * process service runs in a cluster; a docker service's named engine).
 */
export const SERVICE_COLUMNS = [
  "kind",
  "group",
  "wave",
  "dependsOn",
  "dependents",
  "status",
  "reason",
  "blockedBy",
  "since",
  "latency",
  "sparkline",
  "uptime",
  "restarts",
  "runtime",
  "action",
  "checks",
  "node",
  "host",
] as const;

/**
 * Per check, every service's checks in order. Nullable values: 0 = null, else value + 1.
 * `values`: count, then per value its name and unit (strings) and the value in thousandths (signed).
 * `dockerHealth`: nullable position in DOCKER_HEALTHS (absent = 0).
 */
export const CHECK_COLUMNS = [
  "name",
  "kind",
  "state",
  "circuit",
  "lastAt",
  "lastStatus",
  "lastMessage",
  "lastLatency",
  "stage",
  "stages",
  "values",
  "dockerHealth",
] as const;

/** Check values travel in thousandths (the board shows at most three decimals). */
export const VALUE_SCALE = 1000;

const Column = z.string().check(z.regex(DIGIT_PATTERN, "a column holds base64 VLQ digits only"));

export const SnapshotWire = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  /** Also the instant every time column counts back from. */
  generatedAt: z.iso.datetime({ offset: true }),
  project: z.string(),
  store: StoreHealth,
  /** Service names in board order: a service's position is its row in every column. */
  names: z.array(z.string()),
  /** Every other string (groups, reasons, messages, check names...), once. */
  strings: z.array(z.string()),
  /** Running actions as [id, kind, requestedBy]; the action column points here. */
  actions: z.array(z.tuple([z.string(), z.string(), z.string()])),
  services: z.record(z.enum(SERVICE_COLUMNS), Column),
  checks: z.record(z.enum(CHECK_COLUMNS), Column),
  /** Jobs' last and next runs by service name: few services are jobs, so plain JSON, not columns. */
  jobs: z.record(z.string(), JobView),
});
export type SnapshotWire = z.infer<typeof SnapshotWire>;
