import type { CheckView, ServicesResponse, ServiceView } from "../../lib/contract.ts";
import {
  CHECK_COLUMNS,
  CHECK_STATES,
  CIRCUITS,
  DOCKER_HEALTHS,
  RESULT_STATUSES,
  SERVICE_COLUMNS,
  SERVICE_KINDS,
  SNAPSHOT_FORMAT,
  type SnapshotWire,
  SPARK_LEVELS,
  SPARK_NULL,
  STATUSES,
  UPTIME_SCALE,
  VALUE_SCALE,
} from "../../lib/snapshot-wire.ts";
import { VlqWriter, zigzag } from "../../lib/vlq.ts";

/** Packs the board for the socket (layout in lib/snapshot-wire.ts, inverse in lib/snapshot-decode.ts). */
export function encodeSnapshot(board: ServicesResponse): SnapshotWire {
  const base = instant(board.generatedAt);
  const s = writers(SERVICE_COLUMNS);
  const c = writers(CHECK_COLUMNS);
  const names = board.services.map((v) => v.name);
  const serviceIndex = new Map(names.map((n, i) => [n, i]));
  const strings = new Interned<string>((text) => text);
  const actions = new Interned<[string, string, string]>((a) => a.join("\u0000"));

  const nullable = <T>(w: VlqWriter, value: T | null | undefined, write: (v: T) => number) =>
    w.uint(value === null || value === undefined ? 0 : write(value) + 1);
  const ref = (name: string) => serviceIndex.get(name) ?? names.length + strings.id(name);
  const list = (w: VlqWriter, items: readonly string[]) => {
    w.uint(items.length);
    for (const item of items) w.uint(ref(item));
  };
  const tenths = (ms: number) => zigzag(Math.round(ms * 10));
  const str = (text: string) => strings.id(text);
  const ago = (iso: string) => base - instant(iso);

  function check(v: CheckView): void {
    c.name.uint(str(v.name));
    c.kind.uint(str(v.kind));
    c.state.uint(position(CHECK_STATES, v.state));
    c.circuit.uint(position(CIRCUITS, v.circuit));
    nullable(c.lastAt, v.lastAt, (at) => zigzag(ago(at)));
    nullable(c.lastStatus, v.lastStatus, (st) => position(RESULT_STATUSES, st));
    nullable(c.lastMessage, v.lastMessage, str);
    nullable(c.lastLatency, v.lastLatencyMs, tenths);
    c.stage.uint(v.stage === null ? 0 : 1);
    if (v.stage !== null) {
      nullable(c.stage, v.stage.reached, str);
      c.stage.uint(v.stage.index).uint(v.stage.total);
      nullable(c.stage, v.stage.failedAt, str);
    }
    c.stages.uint(v.stages === undefined ? 0 : v.stages.length + 1);
    for (const name of v.stages ?? []) c.stages.uint(str(name));
    c.values.uint(v.values?.length ?? 0);
    for (const value of v.values ?? []) {
      c.values
        .uint(str(value.name))
        .uint(str(value.unit))
        .int(Math.round(value.value * VALUE_SCALE));
    }
    nullable(c.dockerHealth, v.dockerHealth, (h) => position(DOCKER_HEALTHS, h));
  }

  for (const v of board.services) {
    s.kind.uint(position(SERVICE_KINDS, v.kind));
    s.group.uint(str(v.group));
    s.wave.uint(v.wave);
    list(s.dependsOn, v.dependsOn);
    list(s.dependents, v.dependents);
    s.status.uint(position(STATUSES, v.status));
    s.reason.uint(str(v.reason));
    list(s.blockedBy, v.blockedBy);
    s.since.int(ago(v.since));
    nullable(s.latency, v.latencyMs, tenths);
    sparkline(s.sparkline, v.sparkline);
    nullable(s.uptime, v.uptime24h, (u) => Math.round(u * UPTIME_SCALE));
    s.restarts.uint(v.restarts);
    s.runtime.uint(str(v.runtimeState));
    nullable(s.action, v.activeAction, (a) => actions.id([a.id, a.kind, a.requestedBy]));
    s.checks.uint(v.checks.length);
    for (const one of v.checks) check(one);
    nullable(s.node, v.node, str);
    nullable(s.host, v.host, str);
  }

  return {
    format: SNAPSHOT_FORMAT,
    generatedAt: board.generatedAt,
    project: board.project,
    store: board.store,
    names,
    strings: strings.list,
    actions: actions.list,
    services: finish(s, SERVICE_COLUMNS),
    checks: finish(c, CHECK_COLUMNS),
    jobs: Object.fromEntries(board.services.flatMap((v) => (v.job ? [[v.name, v.job]] : []))),
  };
}

/**
 * Count, then min and span in 0.1 ms, then a level digit per point: exact while the span fits in
 * 62 steps of 0.1 ms, else 62 equal steps from min to max (both exact).
 */
function sparkline(w: VlqWriter, points: ServiceView["sparkline"]): void {
  w.uint(points.length);
  if (points.length === 0) return;
  const units = points.map((p) => (p === null ? null : Math.round(p * 10)));
  const known = units.filter((u): u is number => u !== null);
  const min = known.length > 0 ? Math.min(...known) : 0;
  const span = known.length > 0 ? Math.max(...known) - min : 0;
  w.int(min).uint(span);
  const scale = span <= SPARK_LEVELS ? 1 : span / SPARK_LEVELS;
  for (const u of units) w.digit(u === null ? SPARK_NULL : Math.round((u - min) / scale));
}

/** Each distinct value once, in order of first use; the id is its position. */
class Interned<T> {
  readonly list: T[] = [];
  readonly #ids = new Map<string, number>();

  constructor(private readonly keyOf: (value: T) => string) {}

  id(value: T): number {
    const key = this.keyOf(value);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(value);
      this.#ids.set(key, id);
    }
    return id;
  }
}

function position<T>(table: readonly T[], value: T): number {
  const i = table.indexOf(value);
  if (i < 0) throw new RangeError(`snapshot: ${String(value)} is not one of ${table.join(", ")}`);
  return i;
}

function instant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`snapshot: "${iso}" is not a time`);
  return ms;
}

function writers<K extends string>(keys: readonly K[]): Record<K, VlqWriter> {
  // Filled for every key on the next line.
  const out = {} as Record<K, VlqWriter>;
  for (const key of keys) out[key] = new VlqWriter();
  return out;
}

function finish<K extends string>(columns: Record<K, VlqWriter>, keys: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = columns[key].toString();
  return out;
}
