import type Docker from "dockerode";
import type { Config } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { buildGraph, type DependencyGraph } from "../graph/graph.ts";
import {
  admit,
  applyResult,
  initialState,
  inStartPeriod,
  restartPeriod,
  withRetries,
} from "../policy/state.ts";
import type { HeartbeatSource } from "../probes/push/heartbeats.ts";
import { runCheck } from "../probes/run.ts";
import { deriveStatuses, type StatusInput } from "../status/derive.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";
import { buildChecks, type CheckEntry, newService, type ServiceEntry } from "./entries.ts";
import { Scheduler } from "./scheduler.ts";
import type { ProbeSharing, RemoteResult } from "./sharing.ts";
import { toSnapshot } from "./snapshot.ts";
import { type WaitHealthyOptions, type WaitHealthyResult, waitHealthy } from "./wait-healthy.ts";

export interface MonitorOptions {
  config: Config;
  onEvent: (event: EngineEvent) => void;
  containerFor?: (service: string) => string | undefined;
  dockerFor?: (service: string) => Docker;
  /** Pings of push checks (the web layer records them). */
  heartbeats?: HeartbeatSource;
  /** Cluster mode: only the owned services' checks are probed here; the rest arrive as remote results. */
  sharing?: ProbeSharing;
  now?: () => Date;
}

export interface Monitor {
  /** Starts periodic checks (first runs spread over each interval). */
  start(): void;
  /** Aborts in-flight probes and waits for them. Final: a stopped monitor does not start again. */
  stop(): Promise<void>;
  /** Config reload: unchanged checks keep state and schedule; changed ones restart; removed go. */
  update(config: Config): Promise<void>;
  /** Every service, ordered by startup wave then name. */
  snapshot(): ServiceSnapshot[];
  service(name: string): ServiceSnapshot | undefined;
  /** Runs every check (of one service, or all) once now; joins runs already in flight. */
  runNow(service?: string): Promise<void>;
  /** Lifecycle facts. Entering stopped clears check state; entering starting restarts start_period. */
  setRuntime(service: string, runtime: Partial<ServiceSnapshot["runtime"]>): void;
  setActiveAction(service: string, action: ServiceSnapshot["activeAction"] | undefined): void;
  /** Health gate for starts: runs failing checks every 250 ms until all pass, the timeout, or abort. */
  waitHealthy(service: string, opts: WaitHealthyOptions): Promise<WaitHealthyResult>;
  /** Cluster membership changed: schedules the checks now owned here, drops the ones that moved away. */
  rebalance(): Promise<void>;
  /** Another instance's result for a check it owns: updates state and statuses as if probed here. */
  applyRemoteResult(result: RemoteResult): void;
}

/**
 * Runs every check on its policy, keeps each check's decided state and each service's status, and
 * reports `check.result` for every run and `service.status` on real transitions only.
 */
export function createMonitor(opts: MonitorOptions): Monitor {
  const now = opts.now ?? (() => new Date());
  let config = opts.config;
  let graph: DependencyGraph = buildGraph(config.services);
  const services = new Map<string, ServiceEntry>();
  const scheduler = new Scheduler({
    maxConcurrent: config.settings.max_concurrent_probes,
    now: () => now().getTime(),
  });

  const owns = (service: string) => opts.sharing?.owns(service) ?? true;
  // Idempotent: a rebalance and a reload may both decide to schedule the same check.
  const addCheck = (entry: CheckEntry) => {
    if (scheduler.has(entry.id) || !owns(entry.service)) return;
    scheduler.add(
      entry.id,
      { intervalMs: entry.policy.interval, run: (signal) => runEntry(entry, signal) },
      // A check taken over from another instance (rebalance) keeps the previous owner's rhythm.
      entry.last?.at.getTime(),
    );
  };

  // A listener that throws must not stop status derivation or the schedule.
  const emit = (event: EngineEvent) => {
    try {
      opts.onEvent(event);
    } catch {
      // The listener owns its errors; the monitor keeps going.
    }
  };

  const isCurrent = (entry: CheckEntry) => services.get(entry.service)?.checks.includes(entry) ?? false;

  async function runEntry(entry: CheckEntry, signal: AbortSignal): Promise<void> {
    const admitted = admit(entry.policy, entry.state, now().getTime());
    const forced = entry.force;
    entry.force = false;
    if (!admitted.run && !forced) return; // circuit open: skipped until its cooldown
    entry.state = admitted.run ? admitted.state : { ...entry.state, circuit: "half-open" };
    const { result: probe, attempts } = await withRetries(entry.policy.retries, signal, () =>
      runCheck(entry.spec, {
        timeoutMs: entry.policy.timeout,
        signal,
        service: entry.service,
        check: entry.name,
        ...(opts.containerFor ? { containerFor: opts.containerFor } : {}),
        ...(opts.dockerFor ? { dockerFor: opts.dockerFor } : {}),
        ...(opts.heartbeats ? { heartbeats: opts.heartbeats } : {}),
      }),
    );
    // Cancelled by stop/update: the answer no longer describes anything current.
    if (signal.aborted || !isCurrent(entry)) return;
    const at = now();
    const service = services.get(entry.service);
    // A stopped service is expected to fail its checks: that is not news, and must not count.
    const counts = !(service?.runtime.state === "stopped" && probe.status === "unhealthy");
    const starting =
      service?.runtime.state === "starting" || inStartPeriod(entry.policy, entry.state, at.getTime());
    if (counts) entry.state = applyResult(entry.policy, entry.state, probe.status, at.getTime());
    const details = attempts > 1 ? { ...probe.details, attempts } : probe.details;
    entry.last = { ...probe, ...(details ? { details } : {}), at };
    emit({
      type: "check.result",
      service: entry.service,
      check: entry.name,
      at,
      result: entry.last,
      circuit: entry.state.circuit,
      state: entry.state.state,
      counted: counts && !(starting && probe.status !== "healthy"),
      checkState: { ...entry.state },
    });
    recompute(entry.service);
  }

  // Services whose status can change when one service's does: itself and everything that
  // transitively depends on it, in topological order. Cached per graph: with 1,000 services a
  // full re-derivation on every probe result was most of the monitor's CPU.
  let affectedCache = new Map<string, string[]>();
  function affected(name: string): string[] {
    let list = affectedCache.get(name);
    if (!list) {
      const set = new Set([name, ...graph.dependents(name, { transitive: true })]);
      list = graph.order().filter((n) => set.has(n));
      affectedCache.set(name, list);
    }
    return list;
  }

  /** Re-derives statuses: of everything, or of one service and its dependents. */
  function recompute(changed?: string): void {
    const names = changed === undefined || !services.has(changed) ? graph.order() : affected(changed);
    const inputs = new Map<string, StatusInput>();
    for (const name of names) {
      const s = services.get(name);
      if (!s) continue;
      inputs.set(name, {
        dependsOn: s.dependsOn,
        runtime: s.runtime,
        host: s.config.kind === "docker" ? s.config.host : undefined,
        checks: s.checks.map((c) => ({
          name: c.name,
          state: c.state.state,
          ...(c.last ? { last: c.last } : {}),
        })),
      });
    }
    const derived = deriveStatuses(names, inputs, (dep) => services.get(dep));
    // Read once a status changes, shared by all changes of this pass: most passes change nothing.
    let at: Date | undefined;
    for (const [name, next] of derived) {
      const s = services.get(name);
      if (!s) continue;
      const from = s.status;
      s.reason = next.reason;
      s.blockedBy = next.blockedBy;
      if (next.status === from) continue;
      at ??= now();
      s.status = next.status;
      s.since = at;
      emit({
        type: "service.status",
        service: name,
        from,
        to: next.status,
        at,
        reason: next.reason,
        ...(next.blockedBy.length > 0 ? { blockedBy: next.blockedBy } : {}),
      });
    }
  }

  function load(next: Config): Promise<void>[] {
    const removals: Promise<void>[] = [];
    const at = now();
    for (const [name, old] of services) {
      if (next.services[name]) continue;
      services.delete(name);
      for (const check of old.checks) removals.push(scheduler.remove(check.id));
    }
    for (const [name, svc] of Object.entries(next.services)) {
      const fresh = buildChecks(name, svc, next.defaults.check, at.getTime());
      const old = services.get(name);
      if (!old) {
        services.set(name, newService(name, svc, fresh, at));
        for (const check of fresh) addCheck(check);
        continue;
      }
      // Unchanged checks (same name, same spec and policy) keep their state and schedule.
      const kept = fresh.map(
        (check) => old.checks.find((o) => o.name === check.name && o.key === check.key) ?? check,
      );
      const dropped = old.checks.filter((o) => !kept.includes(o));
      const added = kept.filter((check) => fresh.includes(check));
      Object.assign(old, { config: svc, dependsOn: newService(name, svc, kept, at).dependsOn, checks: kept });
      // A changed check reuses its id: its new task starts once the old one is gone.
      const gone = Promise.all(dropped.map((o) => scheduler.remove(o.id)));
      removals.push(gone.then(() => added.filter(isCurrent).forEach(addCheck)));
    }
    return removals;
  }

  load(config);
  recompute();

  return {
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    async update(next) {
      const nextGraph = buildGraph(next.services);
      config = next;
      graph = nextGraph;
      affectedCache = new Map();
      scheduler.setMaxConcurrent(next.settings.max_concurrent_probes);
      await Promise.all(load(next));
      recompute();
    },
    snapshot() {
      return graph
        .waves()
        .flatMap((wave, i) => wave.map((name) => [name, i] as const))
        .flatMap(([name, wave]) => {
          const s = services.get(name);
          return s ? [toSnapshot(s, wave)] : [];
        });
    },
    service(name) {
      const s = services.get(name);
      return s ? toSnapshot(s, graph.names().includes(name) ? graph.waveOf(name) : 0) : undefined;
    },
    async runNow(name) {
      const targets =
        name === undefined ? [...services.values()] : [services.get(name)].filter((s) => s !== undefined);
      await Promise.all(targets.flatMap((s) => s.checks.map((c) => scheduler.trigger(c.id))));
    },
    setRuntime(name, runtime) {
      const s = services.get(name);
      if (!s) return;
      const before = s.runtime.state;
      s.runtime = { ...s.runtime, ...runtime };
      const after = s.runtime.state;
      const t = now().getTime();
      if (after === "stopped" && before !== "stopped") {
        for (const c of s.checks) c.state = initialState(t);
      } else if (
        after !== before &&
        (after === "starting" || (after === "running" && before !== "starting"))
      ) {
        // A (re)start: judge from scratch, with the start period counted from now.
        for (const c of s.checks) c.state = restartPeriod(c.state, t);
      }
      recompute(name);
    },
    setActiveAction(name, action) {
      const s = services.get(name);
      if (!s) return;
      if (action) s.activeAction = action;
      else delete s.activeAction;
    },
    async rebalance() {
      const moves: Promise<void>[] = [];
      for (const s of services.values()) {
        const mine = owns(s.name);
        for (const check of s.checks) {
          if (mine) addCheck(check);
          else if (scheduler.has(check.id)) moves.push(scheduler.remove(check.id));
        }
      }
      await Promise.all(moves);
    },
    applyRemoteResult(remote) {
      const entry = services.get(remote.service)?.checks.find((c) => c.name === remote.check);
      // Unknown here (configs differ during a rollout), or probed here: this instance's own runs decide.
      if (!entry || scheduler.has(entry.id)) return;
      // Two owners for a moment during a rebalance: the older answer must not overwrite the newer.
      if (entry.last && entry.last.at > remote.at) return;
      entry.state = { ...remote.state };
      entry.last = { ...remote.result, at: remote.at };
      emit({
        type: "check.result",
        service: remote.service,
        check: remote.check,
        at: remote.at,
        result: entry.last,
        circuit: entry.state.circuit,
        state: entry.state.state,
        counted: remote.counted,
        remote: true,
      });
      recompute(remote.service);
    },
    waitHealthy(name, waitOpts) {
      if (!services.has(name)) return Promise.resolve({ ok: false, message: `unknown service "${name}"` });
      return waitHealthy(
        () => services.get(name)?.checks,
        (check) => scheduler.trigger(check.id),
        waitOpts,
      );
    },
  };
}
