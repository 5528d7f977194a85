import type pg from "pg";
import { copyRawRows, type RawRow, returnedIndexes, rowArrays, serverTakesCopy } from "./copy-rows.ts";
import { Dictionaries } from "./dictionary.ts";
import { micros } from "./instants.ts";
import { dayOfMicros, insertLateRows, keylessDays } from "./late-rows.ts";
import { PartitionDays } from "./partitions.ts";
import { insertResources } from "./resources.ts";
import { aggregate, HOUR, MINUTE, upsertRollups } from "./rollups.ts";
import type { ActionUpdate, QueueItem, ResultInput } from "./types.ts";
import { aggregateValues, storableValues, upsertValueRollups } from "./values.ts";

type Result = ResultInput & { id: string; sub?: number };

// (series_id, at) is each live day's key: a batch retried after an ambiguous commit inserts nothing twice.
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
const UNIQUE_VIOLATION = "23505";

/** Latency in whole microseconds, clamped to int4 (35 minutes); null when not a finite number. */
function latencyMicros(ms: number | null): number | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return Math.max(-INT4_MAX, Math.min(INT4_MAX, Math.round(ms * 1000)));
}

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

/** Per-store caches the writer keeps between batches (dictionary ids, partitions made, COPY support). */
export interface WriterState {
  dict: Dictionaries;
  days: PartitionDays;
  /** Whether the server takes COPY FROM STDIN; asked once, on the first batch with results. */
  copy: boolean | undefined;
}

export function createWriterState(): WriterState {
  return { dict: new Dictionaries(), days: new PartitionDays(), copy: undefined };
}

/** A batch's results with their raw rows, one per (series_id, at) key, first occurrence kept. */
interface Prepared {
  results: Result[];
  rows: RawRow[];
}

/**
 * Dictionary ids and day partitions, resolved before the batch transaction so that DDL and
 * dictionary inserts never hold the batch's locks and every cached id is committed.
 */
async function prepareResults(client: pg.PoolClient, state: WriterState, input: Result[]): Promise<Prepared> {
  const normalised = input.map((r) => ({
    ...r,
    service: text(r.service) ?? "",
    check: text(r.check) ?? "",
    message: text(r.message),
  }));
  if (normalised.length === 0) return { results: [], rows: [] };
  state.copy ??= await serverTakesCopy(client);
  await state.days.ensure(
    client,
    normalised.map((r) => r.at),
  );
  const seriesOf = await state.dict.seriesIds(client, normalised);
  const reasonOf = await state.dict.reasonIds(
    client,
    normalised.flatMap((r) => (r.message === null ? [] : [r.message])),
  );
  // The same result twice in one batch (a retry queued behind its original) is one row, counted once.
  const seen = new Set<string>();
  const results: Result[] = [];
  const rows: RawRow[] = [];
  for (const r of normalised) {
    const series = seriesOf(r.service, r.check);
    const at = micros(r.at, r.sub ?? 0);
    const key = `${series}:${at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(r);
    rows.push({
      series,
      at,
      status: STATUS_CODE[r.status] ?? 2,
      latencyUs: latencyMicros(r.latencyMs),
      reason: r.message === null ? null : reasonOf(r.message),
    });
  }
  return { results, rows };
}

/**
 * Inserts the raw rows and returns the indexes of those that were new. Only new rows feed the
 * rollups, so a batch retried after an ambiguous commit (connection lost during COMMIT) cannot
 * count twice. Rows of days that still have their key go by COPY or ON CONFLICT; rows of packed
 * days (no key left) by an anti-join (late-rows.ts).
 */
async function insertRawRows(
  client: pg.PoolClient,
  state: WriterState,
  rows: readonly RawRow[],
): Promise<number[]> {
  const keyless = await keylessDays(client, new Set(rows.map((r) => dayOfMicros(r.at))));
  if (keyless.size === 0) return insertKeyedRows(client, state, rows);
  const keyed: number[] = [];
  const late = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const day = dayOfMicros(r.at);
    const list = keyless.has(day) ? (late.get(day) ?? []) : keyed;
    if (list.length === 0 && list !== keyed) late.set(day, list);
    list.push(i);
  });
  const pick = (idx: number[]) => idx.map((i) => rows[i] as RawRow);
  const fresh = (await insertKeyedRows(client, state, pick(keyed))).map((j) => keyed[j] as number);
  // Days in order, so two writers replaying overlapping days take the per-day locks alike.
  for (const [day, idx] of [...late].sort((a, b) => a[0] - b[0]))
    for (const j of await insertLateRows(client, day, pick(idx))) fresh.push(idx[j] as number);
  return fresh.sort((a, b) => a - b);
}

/**
 * COPY first: it fails as a whole on any key already stored, and then the
 * INSERT … ON CONFLICT DO NOTHING RETURNING path tells row by row.
 */
async function insertKeyedRows(
  client: pg.PoolClient,
  state: WriterState,
  rows: readonly RawRow[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  if (state.copy) {
    await client.query("SAVEPOINT raw_rows");
    try {
      await copyRawRows(client, rows);
      return rows.map((_, i) => i);
    } catch (err) {
      if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
      await client.query("ROLLBACK TO SAVEPOINT raw_rows");
    }
  }
  const res = await client.query<{ series_id: number; us: string }>(INSERT_ROWS, rowArrays(rows));
  return returnedIndexes(rows, res.rows);
}

async function insertResults(client: pg.PoolClient, state: WriterState, prepared: Prepared): Promise<number> {
  const { results, rows } = prepared;
  if (rows.length === 0) return 0;
  const fresh = await insertRawRows(client, state, rows);
  const inserted: Result[] = [];
  const extras: { series: number; at: number; detail: string | null; values: string | null }[] = [];
  for (const i of fresh) {
    const r = results[i] as Result;
    const row = rows[i] as RawRow;
    inserted.push(r);
    const values = storableValues(r.values);
    const detail = r.detail === undefined || r.detail === null ? null : json(r.detail);
    if (values !== null || detail !== null)
      extras.push({
        series: row.series,
        at: row.at,
        detail,
        values: values === null ? null : JSON.stringify(values),
      });
  }
  if (extras.length > 0)
    await client.query(INSERT_EXTRAS, [
      extras.map((e) => e.series),
      extras.map((e) => e.at),
      extras.map((e) => e.detail),
      extras.map((e) => e.values),
    ]);
  await upsertRollups(client, "rollup_minute", aggregate(inserted, MINUTE));
  await upsertRollups(client, "rollup_hour", aggregate(inserted, HOUR));
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
    const inserted = await insertResults(client, state, prepared);
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
