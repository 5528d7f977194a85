import type { QueryClient } from "@tanstack/react-query";
import type {
  ActionDelta,
  ActionsResponse,
  ActionView,
  CheckView,
  LiveDelta,
  LogLine,
  LogsResponse,
  ResultDelta,
  ServicesResponse,
  ServiceView,
  StatusDelta,
  StoreHealth,
} from "../../lib/contract";
import { keys } from "./api";

/*
 * Pure cache writers: how a socket delta changes what the components read. Every writer returns
 * new objects only for what changed, so unaffected tiles keep their identity and do not re-render.
 */

const SPARK_POINTS = 30;
const LOG_LINES = 500;

type BoardDelta = Extract<LiveDelta, { type: "status" | "result" }>;

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function withStatus(s: ServiceView, d: StatusDelta): ServiceView {
  return { ...s, status: d.to, reason: d.reason, blockedBy: d.blockedBy, since: d.at };
}

function withCheckResult(c: CheckView, d: ResultDelta): CheckView {
  // Docker's verdict belongs to the latest run: a run without one (container gone) clears it.
  const { dockerHealth: _previous, ...rest } = c;
  return {
    ...rest,
    lastAt: d.at,
    lastStatus: d.status,
    lastMessage: d.message,
    lastLatencyMs: d.latencyMs,
    ...(d.values === undefined ? {} : { values: d.values }),
    ...(d.dockerHealth === undefined ? {} : { dockerHealth: d.dockerHealth }),
  };
}

function withResult(s: ServiceView, d: ResultDelta): ServiceView {
  // Already in the snapshot (a browser that connects mid-tick also gets that tick's batch):
  // applying it again would draw its sparkline point twice.
  const seenAt = s.checks.find((c) => c.name === d.check)?.lastAt;
  if (seenAt && Date.parse(d.at) <= Date.parse(seenAt)) return s;
  const primary = s.checks[0]?.name === d.check;
  const checks = s.checks.map((c) => (c.name === d.check ? withCheckResult(c, d) : c));
  // Every result carries the service's current 24 h uptime (any check counts, not only the first).
  const uptime24h = d.uptime24h === undefined ? s.uptime24h : d.uptime24h;
  if (!primary) return { ...s, checks, uptime24h };
  const point = d.status === "unhealthy" ? null : d.latencyMs;
  return {
    ...s,
    checks,
    uptime24h,
    latencyMs: d.status === "unhealthy" ? s.latencyMs : d.latencyMs,
    sparkline: [...s.sparkline, point].slice(-SPARK_POINTS),
  };
}

/**
 * One batch from the socket, applied in the order it happened: every status and result change
 * of the board in one cache write (a tick of 1,000 results renders once), room deltas into
 * their service's log and resource samples.
 */
export function applyDeltas(qc: QueryClient, batch: readonly LiveDelta[]): void {
  const board = new Map<string, BoardDelta[]>();
  const logs = new Map<string, LogLine[]>();
  for (const d of batch) {
    if (d.type === "status" || d.type === "result") {
      append(board, d.service, d);
    } else if (d.type === "log") {
      const { type: _, ...line } = d;
      append(logs, d.service, line);
    } else {
      const { type: _t, service, ...sample } = d;
      applyResources(qc, service, sample);
    }
  }
  for (const [service, lines] of logs) applyLogs(qc, service, lines);
  if (board.size === 0) return;
  qc.setQueryData<ServicesResponse>(keys.services, (prev) => {
    if (!prev) return prev;
    let changed = false;
    const services = prev.services.map((s) => {
      const deltas = board.get(s.name);
      if (!deltas) return s;
      const next = deltas.reduce(
        (view, d) => (d.type === "status" ? withStatus(view, d) : withResult(view, d)),
        s,
      );
      if (next !== s) changed = true;
      return next;
    });
    return changed ? { ...prev, services } : prev;
  });
}

export function applyStore(qc: QueryClient, store: StoreHealth): void {
  qc.setQueryData<ServicesResponse>(keys.services, (prev) => (prev ? { ...prev, store } : prev));
}

function setActiveAction(qc: QueryClient, action: ActionView, running: boolean): void {
  const names = new Set([...action.targets, ...action.waves.flat()]);
  qc.setQueryData<ServicesResponse>(keys.services, (prev) => {
    if (!prev) return prev;
    const services = prev.services.map((s) => {
      if (running && names.has(s.name)) {
        return { ...s, activeAction: { id: action.id, kind: action.kind, requestedBy: action.requestedBy } };
      }
      if (!running && s.activeAction?.id === action.id) return { ...s, activeAction: null };
      return s;
    });
    return { ...prev, services };
  });
}

function upsertAction(
  qc: QueryClient,
  id: string,
  update: (a: ActionView) => ActionView,
): ActionView | undefined {
  const current =
    qc.getQueryData<ActionView>(keys.action(id)) ??
    qc.getQueryData<ActionsResponse>(keys.actions)?.actions.find((a) => a.id === id);
  if (!current) return undefined;
  const next = update(current);
  writeAction(qc, next);
  return next;
}

function writeAction(qc: QueryClient, action: ActionView): void {
  qc.setQueryData(keys.action(action.id), action);
  qc.setQueryData<ActionsResponse>(keys.actions, (prev) => {
    const list = prev?.actions ?? [];
    const at = list.findIndex((a) => a.id === action.id);
    const actions = at === -1 ? [action, ...list] : list.map((a, i) => (i === at ? action : a));
    return { actions: actions.slice(0, 50) };
  });
}

export function applyAction(qc: QueryClient, d: ActionDelta): void {
  if (d.type === "planned") {
    writeAction(qc, d.action);
    setActiveAction(qc, d.action, true);
    return;
  }
  if (d.type === "step") {
    const updated = upsertAction(qc, d.actionId, (a) => ({ ...a, steps: [...a.steps, d.step] }));
    if (!updated) void qc.invalidateQueries({ queryKey: keys.action(d.actionId) });
    return;
  }
  const updated = upsertAction(qc, d.actionId, (a) => ({
    ...a,
    result: d.result,
    message: d.message,
    finishedAt: d.at,
  }));
  if (updated) setActiveAction(qc, updated, false);
  else void qc.invalidateQueries({ queryKey: keys.action(d.actionId) });
}

function applyLogs(qc: QueryClient, service: string, added: LogLine[]): void {
  qc.setQueryData<LogsResponse>(keys.logs(service), (prev) => {
    const lines = [...(prev?.lines ?? []), ...added];
    return { service, lines: lines.length > LOG_LINES ? lines.slice(-LOG_LINES) : lines };
  });
}

export interface ResourceSample {
  at: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes?: number;
  limitEnforcement?: "cgroup" | "cgroup v1" | "cgroup v2" | "rlimit+sampler";
  fds?: number;
  threads?: number;
}

export function applyResources(qc: QueryClient, service: string, sample: ResourceSample): void {
  qc.setQueryData<ResourceSample[]>(keys.resources(service), (prev) => [...(prev ?? []), sample].slice(-120));
}

/**
 * Facts the deltas do not carry (runtime state, restarts, 24 h uptime) refreshed from a REST
 * snapshot, without overwriting the statuses and latencies the deltas keep newer.
 */
export function mergeSlowFields(qc: QueryClient, fresh: ServicesResponse): void {
  const byName = new Map(fresh.services.map((s) => [s.name, s]));
  qc.setQueryData<ServicesResponse>(keys.services, (prev) => {
    if (!prev) return fresh;
    let changed = false;
    const services = prev.services.map((s) => {
      const f = byName.get(s.name);
      if (
        !f ||
        (f.runtimeState === s.runtimeState &&
          f.restarts === s.restarts &&
          f.uptime24h === s.uptime24h &&
          f.oomKills === s.oomKills &&
          f.limits?.enforcement === s.limits?.enforcement)
      )
        return s;
      changed = true;
      return {
        ...s,
        runtimeState: f.runtimeState,
        restarts: f.restarts,
        uptime24h: f.uptime24h,
        ...(f.oomKills === undefined ? {} : { oomKills: f.oomKills }),
        ...(f.limits === undefined ? {} : { limits: f.limits }),
      };
    });
    return changed ? { ...prev, services } : prev;
  });
}
