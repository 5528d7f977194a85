import type pg from "pg";
import { Dictionaries } from "./dictionary.ts";
import { bucketOf, emptyHist } from "./histogram.ts";
import { micros } from "./instants.ts";
import { PartitionDays } from "./partitions.ts";
import { insertResources } from "./resources.ts";
import type { ActionUpdate, QueueItem, ResultInput } from "./types.ts";
import { aggregateValues, storableValues, upsertValueRollups } from "./values.ts";

type Result = ResultInput & { id: string; sub?: number };
const MINUTE = 60_000;
const HOUR = 3_600_000;

// (series_id, at) is the key: a batch retried after an ambiguous commit inserts nothing twice.
const INSERT_ROWS = `
INSERT INTO probe_rows (series_id, at, status, latency_us, reason_id)
SELECT s, timestamptz 'epoch' + a * interval '1 microsecond', st, l, r
FROM unnest($1::int4[], $2::int8[], $3::int2[], $4::int4[], $5::int4[]) AS t(s, a, st, l, r)
ON CONFLICT DO NOTHING
RETURNING series_id, (extract(epoch FROM at) * 1000000)::int8::text AS us`;

const INSERT_EXTRAS = `
INSERT INTO probe_row_extras (series_id, at, detail, value_map)
SELECT s, timestamptz 'epoch' + a * interval '1 microsecond', d::jsonb, v::jsonb
FROM unnest($1::int4[], $2::int8[], $3::text[], $4::text[]) AS t(s, a, d, v)
ON CONFLICT DO NOTHING`;

const STATUS_CODE: Record<ResultInput["status"], number> = { healthy: 0, degraded: 1, unhealthy: 2 };
const INT4_MAX = 2_147_483_647;

/** Latency in whole microseconds, clamped to int4 (35 minutes); null when not a finite number. */
function latencyMicros(ms: number | null): number | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return Math.max(-INT4_MAX, Math.min(INT4_MAX, Math.round(ms * 1000)));
}

// Merge, never overwrite: late data and retried batches land in buckets that already exist.
const upsertRollup = (table: "rollup_minute" | "rollup_hour") => `
INSERT INTO ${table} (service, "check", bucket, count, failures, min, max, sum, hist)
SELECT s, c, b, n, f, mi, ma, su, h::int[]
FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::text[])
  AS t(s, c, b, n, f, mi, ma, su, h)
ON CONFLICT (service, "check", bucket) DO UPDATE SET
  count = ${table}.count + excluded.count,
  failures = ${table}.failures + excluded.failures,
  min = LEAST(${table}.min, excluded.min),
  max = GREATEST(${table}.max, excluded.max),
  sum = ${table}.sum + excluded.sum,
  hist = ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0)
               FROM unnest(${table}.hist, excluded.hist) WITH ORDINALITY AS z(x, y, i) ORDER BY i)`;

const INSERT_EVENTS = `
INSERT INTO events (uid, type, service, "from", "to", reason, at, action_id)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
ON CONFLICT (uid) DO NOTHING`;

// One malformed value would fail its whole batch on every retry and wedge the queue, so values
// Postgres would reject are normalised here: NUL characters, non-finite numbers, bad JSON.
const text = (v: string | null | undefined): string | null => (v == null ? null : v.replaceAll("\u0000", ""));
function json(v: unknown): string | null {
  if (v === undefined) return null;
  try {
    return text(JSON.stringify(v) ?? null);
  } catch {
    return JSON.stringify({ error: "detail was not JSON-serialisable" });
  }
}

interface Agg {
  service: string;
  check: string;
  bucket: number;
  count: number;
  failures: number;
  min: number | null;
  max: number | null;
  sum: number;
  hist: number[];
}

/** Aggregates the rows actually inserted into one rollup row per (service, check, bucket). */
export function aggregate(rows: readonly Result[], width: number): Agg[] {
  const groups = new Map<string, Agg>();
  for (const r of rows) {
    const bucket = Math.floor(r.at.getTime() / width) * width;
    const key = `${r.service}\u0000${r.check}\u0000${bucket}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        service: text(r.service) ?? "",
        check: text(r.check) ?? "",
        bucket,
        count: 0,
        failures: 0,
        min: null,
        max: null,
        sum: 0,
        hist: emptyHist(),
      };
      groups.set(key, g);
    }
    g.count++;
    if (r.status === "unhealthy") g.failures++;
    const l = r.latencyMs;
    if (l !== null && Number.isFinite(l)) {
      g.min = g.min === null ? l : Math.min(g.min, l);
      g.max = g.max === null ? l : Math.max(g.max, l);
      g.sum += l;
      const b = bucketOf(l);
      g.hist[b] = (g.hist[b] ?? 0) + 1;
    }
  }
  return [...groups.values()];
}

async function upsert(
  client: pg.PoolClient,
  table: "rollup_minute" | "rollup_hour",
  aggs: Agg[],
): Promise<void> {
  if (aggs.length === 0) return;
  await client.query(upsertRollup(table), [
    aggs.map((a) => a.service),
    aggs.map((a) => a.check),
    aggs.map((a) => new Date(a.bucket).toISOString()),
    aggs.map((a) => a.count),
    aggs.map((a) => a.failures),
    aggs.map((a) => a.min),
    aggs.map((a) => a.max),
    aggs.map((a) => a.sum),
    aggs.map((a) => `{${a.hist.join(",")}}`),
  ]);
}

/** Per-store caches the writer keeps between batches (dictionary ids, partitions made). */
export interface WriterState {
  dict: Dictionaries;
  days: PartitionDays;
}

export function createWriterState(): WriterState {
  return { dict: new Dictionaries(), days: new PartitionDays() };
}

interface Prepared {
  rows: Result[];
  series: number[];
  reasons: (number | null)[];
}

/**
 * Dictionary ids and day partitions, resolved before the batch transaction so that DDL and
 * dictionary inserts never hold the batch's locks and every cached id is committed.
 */
async function prepareResults(
  client: pg.PoolClient,
  state: WriterState,
  results: Result[],
): Promise<Prepared> {
  const rows = results.map((r) => ({
    ...r,
    service: text(r.service) ?? "",
    check: text(r.check) ?? "",
    message: text(r.message),
  }));
  if (rows.length === 0) return { rows, series: [], reasons: [] };
  await state.days.ensure(
    client,
    rows.map((r) => r.at),
  );
  const seriesOf = await state.dict.seriesIds(client, rows);
  const reasonOf = await state.dict.reasonIds(
    client,
    rows.flatMap((r) => (r.message === null ? [] : [r.message])),
  );
  return {
    rows,
    series: rows.map((r) => seriesOf(r.service, r.check)),
    reasons: rows.map((r) => (r.message === null ? null : reasonOf(r.message))),
  };
}

async function insertResults(client: pg.PoolClient, prepared: Prepared): Promise<number> {
  const { rows: results, series, reasons } = prepared;
  if (results.length === 0) return 0;
  const keys = results.map((r) => micros(r.at, r.sub ?? 0));
  const res = await client.query<{ series_id: number; us: string }>(INSERT_ROWS, [
    series,
    keys,
    results.map((r) => STATUS_CODE[r.status] ?? 2),
    results.map((r) => latencyMicros(r.latencyMs)),
    reasons,
  ]);
  // Only rows that were new feed the rollups, so a batch retried after an ambiguous commit
  // (connection lost during COMMIT) cannot count twice.
  const fresh = new Set(res.rows.map((r) => `${r.series_id}:${r.us}`));
  // The same result twice in one batch (a retry queued behind its original) is one row, counted once.
  const inserted: Result[] = [];
  const extras: { series: number; at: number; detail: string | null; values: string | null }[] = [];
  results.forEach((r, i) => {
    const key = `${series[i]}:${keys[i]}`;
    if (!fresh.delete(key)) return;
    inserted.push(r);
    const values = storableValues(r.values);
    const detail = r.detail === undefined || r.detail === null ? null : json(r.detail);
    if (values !== null || detail !== null)
      extras.push({
        series: series[i] ?? 0,
        at: keys[i] ?? 0,
        detail,
        values: values === null ? null : JSON.stringify(values),
      });
  });
  if (extras.length > 0)
    await client.query(INSERT_EXTRAS, [
      extras.map((e) => e.series),
      extras.map((e) => e.at),
      extras.map((e) => e.detail),
      extras.map((e) => e.values),
    ]);
  await upsert(client, "rollup_minute", aggregate(inserted, MINUTE));
  await upsert(client, "rollup_hour", aggregate(inserted, HOUR));
  await upsertValueRollups(client, "rollup_value_minute", aggregateValues(inserted, MINUTE));
  await upsertValueRollups(client, "rollup_value_hour", aggregateValues(inserted, HOUR));
  return inserted.length;
}

const UPDATE_COLUMNS: Record<keyof ActionUpdate, [column: string, json: boolean]> = {
  finishedAt: ["finished_at", false],
  result: ["result", false],
  message: ["message", false],
  steps: ["steps", true],
  waves: ["waves", true],
};

async function writeActionOp(client: pg.PoolClient, item: QueueItem): Promise<void> {
  if (item.kind === "action") {
    const a = item.v;
    await client.query(
      `INSERT INTO actions (id, kind, targets, waves, requested_by, role, params, request_id, started_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [
        a.id,
        a.kind,
        a.targets,
        JSON.stringify(a.waves ?? []),
        a.requestedBy,
        a.role ?? null,
        JSON.stringify(a.params ?? {}),
        a.requestId ?? null,
        a.startedAt.toISOString(),
      ],
    );
  } else if (item.kind === "actionUpdate") {
    const sets: string[] = [];
    const values: unknown[] = [item.id];
    for (const [key, [column, json]] of Object.entries(UPDATE_COLUMNS) as [
      keyof ActionUpdate,
      [string, boolean],
    ][]) {
      if (!(key in item.v)) continue;
      const v = item.v[key];
      values.push(json ? JSON.stringify(v ?? null) : v instanceof Date ? v.toISOString() : (v ?? null));
      sets.push(`${column} = $${values.length}${json ? "::jsonb" : ""}`);
    }
    if (sets.length > 0) await client.query(`UPDATE actions SET ${sets.join(", ")} WHERE id = $1`, values);
  }
}

export interface BatchOutcome {
  results: number;
  inserted: number;
}

/**
 * Writes one chunk of the queue in a single transaction: results as one multi-row insert plus
 * the minute/hour rollup upserts, events as one insert, actions in queue order, and the dropped
 * counter. All or nothing, so the caller can retry the same chunk after any failure.
 */
export async function writeBatch(
  pool: pg.Pool,
  items: readonly QueueItem[],
  droppedDelta: number,
  state: WriterState = createWriterState(),
): Promise<BatchOutcome> {
  const results: Result[] = [];
  const events: Extract<QueueItem, { kind: "event" }>["v"][] = [];
  const resources: Extract<QueueItem, { kind: "resource" }>["v"][] = [];
  for (const it of items) {
    if (it.kind === "result") results.push(it.v);
    else if (it.kind === "event") events.push(it.v);
    else if (it.kind === "resource") resources.push(it.v);
  }
  const client = await pool.connect();
  // A checked-out client has no pool listener: without this, a connection dropped between two
  // statements would surface as an uncaught 'error' event instead of a failed query.
  const onError = () => {};
  client.on("error", onError);
  let failed: Error | undefined;
  try {
    const prepared = await prepareResults(client, state, results);
    await client.query("BEGIN");
    const inserted = await insertResults(client, prepared);
    await insertResources(client, resources);
    if (events.length > 0) {
      await client.query(INSERT_EVENTS, [
        events.map((e) => e.id),
        events.map((e) => e.type ?? "transition"),
        events.map((e) => e.service),
        events.map((e) => e.from),
        events.map((e) => e.to),
        events.map((e) => text(e.reason)),
        events.map((e) => e.at.toISOString()),
        events.map((e) => e.actionId ?? null),
      ]);
    }
    for (const it of items) await writeActionOp(client, it);
    if (droppedDelta > 0) {
      await client.query(
        `INSERT INTO store_meta (key, value, updated_at) VALUES ('dropped_results', $1, now())
         ON CONFLICT (key) DO UPDATE SET value = store_meta.value + excluded.value, updated_at = now()`,
        [droppedDelta],
      );
    }
    await client.query("COMMIT");
    return { results: results.length, inserted };
  } catch (err) {
    failed = err as Error;
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    // A connection that failed mid-transaction may be broken: destroy it rather than reuse it.
    client.off("error", onError);
    client.release(failed);
  }
}
