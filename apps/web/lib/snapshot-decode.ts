import type { CheckView, ServicesResponse, ServiceView } from "./contract-views";
import {
  CHECK_COLUMNS,
  CHECK_STATES,
  CIRCUITS,
  DOCKER_HEALTHS,
  RESULT_STATUSES,
  SERVICE_COLUMNS,
  SERVICE_KINDS,
  type SnapshotWire,
  SPARK_LEVELS,
  SPARK_NULL,
  STATUSES,
  UPTIME_SCALE,
  VALUE_SCALE,
} from "./snapshot-wire";
import { unzigzag, VlqReader, WireError } from "./vlq";

/** The ServicesResponse a packed snapshot stands for; throws WireError when it does not add up. */
export function decodeSnapshot(wire: SnapshotWire): ServicesResponse {
  const base = Date.parse(wire.generatedAt);
  const s = readers(wire.services, SERVICE_COLUMNS, "services");
  const c = readers(wire.checks, CHECK_COLUMNS, "checks");

  const pick = <T>(table: readonly T[], i: number, what: string): T => {
    const value = table[i];
    if (value === undefined) throw new WireError(`${what}: no entry ${i}`);
    return value;
  };
  const text = (i: number) => pick(wire.strings, i, "strings");
  const str = (r: VlqReader) => text(r.uint());
  const nullable = <T>(r: VlqReader, read: (n: number) => T): T | null => {
    const n = r.uint();
    return n === 0 ? null : read(n - 1);
  };
  const time = (offset: number) => new Date(base - offset).toISOString();
  const tenths = (z: number) => unzigzag(z) / 10;
  const ref = (i: number) =>
    i < wire.names.length ? pick(wire.names, i, "names") : text(i - wire.names.length);
  const list = (r: VlqReader) => Array.from({ length: r.uint() }, () => ref(r.uint()));

  function check(): CheckView {
    const view: CheckView = {
      name: str(c.name),
      kind: str(c.kind),
      state: pick(CHECK_STATES, c.state.uint(), "check state"),
      circuit: pick(CIRCUITS, c.circuit.uint(), "circuit"),
      lastAt: nullable(c.lastAt, (z) => time(unzigzag(z))),
      lastStatus: nullable(c.lastStatus, (i) => pick(RESULT_STATUSES, i, "result status")),
      lastMessage: nullable(c.lastMessage, text),
      lastLatencyMs: nullable(c.lastLatency, tenths),
      stage: nullable(c.stage, () => {
        const reached = nullable(c.stage, text);
        const index = c.stage.uint();
        const total = c.stage.uint();
        const failedAt = nullable(c.stage, text);
        return { reached, index, total, ...(failedAt === null ? {} : { failedAt }) };
      }),
    };
    const stages = nullable(c.stages, (n) => Array.from({ length: n }, () => str(c.stages)));
    const values = Array.from({ length: c.values.uint() }, () => ({
      name: str(c.values),
      unit: str(c.values),
      value: c.values.int() / VALUE_SCALE,
    }));
    const dockerHealth = nullable(c.dockerHealth, (i) => pick(DOCKER_HEALTHS, i, "docker health"));
    return {
      ...view,
      ...(stages === null ? {} : { stages }),
      ...(values.length === 0 ? {} : { values }),
      ...(dockerHealth === null ? {} : { dockerHealth }),
    };
  }

  const services = wire.names.map((name): ServiceView => {
    const view: ServiceView = {
      name,
      kind: pick(SERVICE_KINDS, s.kind.uint(), "service kind"),
      group: str(s.group),
      wave: s.wave.uint(),
      dependsOn: list(s.dependsOn),
      dependents: list(s.dependents),
      status: pick(STATUSES, s.status.uint(), "status"),
      reason: str(s.reason),
      blockedBy: list(s.blockedBy),
      since: time(s.since.int()),
      latencyMs: nullable(s.latency, tenths),
      sparkline: sparkline(s.sparkline),
      uptime24h: nullable(s.uptime, (n) => n / UPTIME_SCALE),
      restarts: s.restarts.uint(),
      runtimeState: str(s.runtime),
      activeAction: nullable(s.action, (i) => {
        const [id, kind, requestedBy] = pick(wire.actions, i, "actions");
        return { id, kind, requestedBy };
      }),
      checks: Array.from({ length: s.checks.uint() }, check),
      ...(wire.jobs[name] ? { job: wire.jobs[name] } : {}),
    };
    const node = nullable(s.node, text);
    const host = nullable(s.host, text);
    return { ...view, ...(node === null ? {} : { node }), ...(host === null ? {} : { host }) };
  });
  for (const r of [...Object.values(s), ...Object.values(c)]) r.end();
  return { generatedAt: wire.generatedAt, project: wire.project, services, store: wire.store };
}

/** Count, then min and span in 0.1 ms, then one level digit per point (see snapshot-wire.ts). */
function sparkline(r: VlqReader): (number | null)[] {
  const count = r.uint();
  if (count === 0) return [];
  const min = r.int();
  const span = r.uint();
  const scale = span <= SPARK_LEVELS ? 1 : span / SPARK_LEVELS;
  return Array.from({ length: count }, () => {
    const level = r.digit();
    if (level === SPARK_NULL) return null;
    if (level > SPARK_LEVELS) throw new WireError(`services.sparkline: level ${level}`);
    return (min + Math.round(level * scale)) / 10;
  });
}

function readers<K extends string>(
  columns: Record<K, string>,
  keys: readonly K[],
  group: string,
): Record<K, VlqReader> {
  // Filled for every key on the next line.
  const out = {} as Record<K, VlqReader>;
  for (const key of keys) out[key] = new VlqReader(columns[key], `${group}.${key}`);
  return out;
}
