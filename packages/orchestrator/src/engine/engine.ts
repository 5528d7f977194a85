import { join } from "node:path";
import { MaintenanceCalendar } from "../alerting/maintenance.ts";
import type { Config, ServiceConfig } from "../config/schema.ts";
import { createDockerHosts } from "../docker/hosts.ts";
import type { EngineEvent } from "../events.ts";
import { buildGraph, type DependencyGraph } from "../graph/graph.ts";
import { JobHost } from "../jobs/job-host.ts";
import type { JobRunStore } from "../jobs/store-port.ts";
import { ExitWatch } from "../lifecycle/exit-watch.ts";
import { createLifecycle, type Lifecycle } from "../lifecycle/lifecycle.ts";
import { exitFacts, RestartSupervisor } from "../lifecycle/restart-policy.ts";
import { RevisionStore } from "../lifecycle/revisions.ts";
import { runtimeOf } from "../lifecycle/service-start.ts";
import { SupervisionStore } from "../lifecycle/supervision-store.ts";
import type { ActionHandle, LifecycleDeps } from "../lifecycle/types.ts";
import { createMonitor } from "../monitor/monitor.ts";
import type { ProbeSharing, RemoteResult } from "../monitor/sharing.ts";
import type { HeartbeatSource } from "../probes/push/heartbeats.ts";
import { containerOf } from "../runners/docker-spec.ts";
import type { LimiterChoice } from "../runners/limits/index.ts";
import { createRunnerRegistry } from "../runners/registry.ts";
import type { ExitInfo, RunnerStatus } from "../runners/types.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";
import type { Authority } from "./authority.ts";
import { trackHosts } from "./host-reachability.ts";
import type { MonitorFactory } from "./monitor-port.ts";
import { ownerElsewhere } from "./node.ts";

export interface EngineOptions {
  config: Config;
  /** Pid files, logs and revisions.json live here. */
  stateDir: string;
  onEvent: (event: EngineEvent) => void;
  /** Run the monitor's periodic checks (default true); health gates work either way. */
  monitorChecks?: boolean;
  /** Pings of push checks, recorded by whoever receives them (the web server's push route). */
  heartbeats?: HeartbeatSource;
  /** Time between CPU/memory samples of running services, ms; 0 turns sampling off. Default: settings.resource_interval. */
  resourceIntervalMs?: number;
  /** How process `resources` limits are enforced (runners/limits/); default `auto`. */
  limiter?: LimiterChoice;
  /** Where job runs are recorded and the last run of each job is read from (catch-up). */
  jobRuns?: JobRunStore;
  /** How long a job run waits for its dependencies to be healthy before it is skipped. Default 60 s. */
  jobDependencyWaitMs?: number;
  /**
   * Several instances on one stack: restart-policy restarts and scheduled job runs happen only
   * where the authority says (the leader, once per occasion). Absent = this engine decides alone.
   */
  authority?: Authority;
  /** Several instances share the probing: this one runs only the checks of the services it owns. */
  sharing?: ProbeSharing;
  /**
   * This instance's node name in a cluster (VIGIL_NODE_NAME). A process service whose `node:`
   * names another node is only watched here: never started, stopped, adopted or restarted.
   * Absent = one instance, which runs every service whatever its `node:`.
   */
  localNode?: string;
  /** Cluster: asks the node that runs a process service to start, stop, restart or roll it back (see LifecycleDeps). */
  actOn?: LifecycleDeps["actOn"];
  /** @internal Swaps the monitor (tests); default: src/monitor's createMonitor. */
  createMonitor?: MonitorFactory;
}

/** The lifecycle's actions (start, stop, restart, rollback, cancel, actions, action), plus: */
export interface Engine extends Omit<Lifecycle, "isBusy" | "close"> {
  snapshot(): ServiceSnapshot[];
  graph(): DependencyGraph;
  logs(service: string, lines?: number): string[];
  /** Swaps the config; settles when the monitor has taken it over. */
  reload(config: Config): Promise<void>;
  /** Discovers services already running (pid files, labelled containers); runs on creation. */
  attach(): Promise<void>;
  /** Settles when the attach made on creation is done. */
  ready: Promise<void>;
  /** `kind: job` services: "Run now" and the schedule. */
  jobs: Pick<JobHost, "runNow" | "nextRun" | "names">;
  /** Cluster membership changed: takes up the checks now owned here and lets go of the others. */
  rebalance(): Promise<void>;
  /** A result another instance probed (see ProbeSharing). */
  applyRemoteResult(result: RemoteResult): void;
  /** Stops monitors, streams and timers; services keep running unless `stopServices`. */
  close(opts?: { stopServices?: boolean }): Promise<void>;
}

/** The exit of a service found down on attach, dated by when it ended. */
function foundExited(service: string, status: RunnerStatus): ExitInfo {
  const at = status.finishedAt ?? new Date();
  const ran = status.startedAt ? at.getTime() - status.startedAt.getTime() : 0;
  return {
    service,
    code: status.exitCode ?? null,
    signal: status.signal ?? null,
    at,
    ranForMs: Math.max(0, ran),
    requested: false,
    ...(status.exitReason === undefined ? {} : { reason: status.exitReason }),
  };
}

const withoutNode = ({ node: _node, ...rest }: ServiceSnapshot): ServiceSnapshot => rest;

/** Composes graph, monitor, runners and lifecycle for one project. */
export function createEngine(opts: EngineOptions): Engine {
  const authority = opts.authority;
  let config = opts.config;
  let graph = buildGraph(config.services);
  const overrides = new Map<string, ServiceConfig>();
  const service = (name: string): ServiceConfig => {
    const found = overrides.get(name) ?? config.services[name];
    if (!found) throw new Error(`unknown service "${name}"`);
    return found;
  };
  const containerFor = (name: string) => containerOf(config, name);
  const elsewhere = (name: string): string | undefined => {
    const svc = overrides.get(name) ?? config.services[name];
    return svc ? ownerElsewhere(svc, opts.localNode) : undefined;
  };
  // Made once from the first config: a changed `hosts:` takes a restart of Vigil.
  const hosts = createDockerHosts(config.hosts);
  const dockerFor = (name: string) => {
    const svc = overrides.get(name) ?? config.services[name];
    return hosts.clientFor(svc?.kind === "docker" ? svc.host : undefined);
  };
  const reachability = trackHosts({
    config: () => config,
    clientFor: (host) => hosts.clientFor(host),
    setRuntime: (name, runtime) => monitor.setRuntime(name, runtime),
    reattach: (name) => void attachOne(name),
    isBusy: (name) => lifecycle.isBusy(name),
  });
  const monitor = (opts.createMonitor ?? createMonitor)({
    config,
    onEvent: opts.onEvent,
    containerFor,
    dockerFor,
    ...(opts.heartbeats ? { heartbeats: opts.heartbeats } : {}),
    ...(opts.sharing ? { sharing: opts.sharing } : {}),
  });
  const exits = new ExitWatch();
  /** Out-of-memory ends per service since this engine started. */
  const oomCounts = new Map<string, number>();
  const runners = createRunnerRegistry({
    project: config.project,
    stateDir: opts.stateDir,
    resourceIntervalMs: opts.resourceIntervalMs ?? config.settings.resource_interval,
    ...(opts.limiter === undefined ? {} : { limiter: opts.limiter }),
    onEvent: (event) => {
      // Counted where the board reads it; the event goes on to the app (metrics, history).
      if (event.type === "service.oom") {
        const oomKills = (oomCounts.get(event.service) ?? 0) + 1;
        oomCounts.set(event.service, oomKills);
        monitor.setRuntime(event.service, { oomKills });
      }
      opts.onEvent(event);
    },
    onExit: (exit) => {
      monitor.setRuntime(exit.service, { state: exit.requested ? "stopped" : "exited", ...exitFacts(exit) });
      exits.notify(exit);
      supervisor.onExit(exit);
    },
    onResumed: (name, status) => monitor.setRuntime(name, runtimeOf(status)),
    dockerFor: (host) => hosts.clientFor(host),
  });
  const supervisor = new RestartSupervisor({
    // Another node's process is its own to supervise: an exit seen here is not acted on.
    service: (name) =>
      elsewhere(name) === undefined ? (overrides.get(name) ?? config.services[name]) : undefined,
    isBusy: (name) => lifecycle.isBusy(name),
    restartsHeld: (name) => {
      // A Docker host that does not answer says nothing about its containers: no restart from here.
      if (reachability.unreachable(name)) return true;
      const svc = config.services[name];
      if (!svc || config.alerting.maintenance.every((w) => !w.pause_restarts)) return false;
      const calendar = new MaintenanceCalendar(config.alerting.maintenance.filter((w) => w.pause_restarts));
      return calendar.activeFor({ name, group: svc.group }, Date.now()) !== undefined;
    },
    onEvent: opts.onEvent,
    setRuntime: (name, runtime) => monitor.setRuntime(name, runtime),
    store: new SupervisionStore(join(opts.stateDir, "supervision.json")),
    ...(authority
      ? {
          authorize: async (name: string, exit: ExitInfo, attempt: number) => {
            // Another instance may have seen the same exit (at its own time) and brought it back
            // already: only what is still down is claimed.
            const svc = service(name);
            const now = await runners
              .runnerFor(svc)
              .status(name, svc)
              .catch(() => undefined);
            if (now?.state === "running") {
              monitor.setRuntime(name, runtimeOf(now));
              return false;
            }
            const run = exit.incarnation ?? `exit ${exit.at.getTime()}`;
            return authority.claim("restart", `restart:${name}:${run}:${attempt}`);
          },
        }
      : {}),
    restart: async (name) => {
      const svc = service(name);
      monitor.setRuntime(name, runtimeOf(await runners.runnerFor(svc).start(name, svc)));
    },
  });
  const deps: LifecycleDeps = {
    graph: () => graph,
    service,
    setOverride: (name, svc) => (svc ? overrides.set(name, svc) : overrides.delete(name)),
    runnerFor: (svc) => runners.runnerFor(svc),
    health: monitor,
    exits,
    revisions: new RevisionStore(join(opts.stateDir, "revisions.json")),
    onEvent: opts.onEvent,
    setRuntime: (name, runtime) => monitor.setRuntime(name, runtime),
    setActiveAction: (name, action) => monitor.setActiveAction(name, action),
    cancelPolicy: (name) => supervisor.cancel(name),
    elsewhere,
    ...(opts.actOn ? { actOn: opts.actOn } : {}),
  };
  const lifecycle = createLifecycle(deps);

  /** Lets the restart policy see exits that happened while an action owned the service. */
  function released(handle: ActionHandle): ActionHandle {
    if (handle.deduplicated) return handle;
    void handle.done.then(async (outcome) => {
      for (const [name, state] of Object.entries(outcome.services)) {
        const up = state === "started" || state === "healthy" || state === "skipped";
        const svc = overrides.get(name) ?? config.services[name];
        const running = svc
          ? (
              await runners
                .runnerFor(svc)
                .status(name, svc)
                .catch(() => undefined)
            )?.state
          : undefined;
        supervisor.released(name, up && running !== "running");
      }
    });
    return handle;
  }

  /** Adopts what runs of one service (pid file, labelled container) and applies what it finds. */
  async function attachOne(name: string): Promise<void> {
    const svc = service(name);
    if (elsewhere(name) !== undefined) {
      // Another node runs it: nothing of it is adopted here, it is only probed.
      monitor.setRuntime(name, { state: "external" });
      return;
    }
    try {
      // The counter continues across Vigil restarts (supervision.json).
      const restarts = supervisor.restarts(name);
      const status = await runners.runnerFor(svc).attach(name, svc);
      const found = runtimeOf(status);
      monitor.setRuntime(name, { ...found, restarts });
      if (found.state === "running") supervisor.resumed(name);
      // Found dead while no Vigil watched (a `docker kill`): the policy applies now.
      if (status.state === "exited") supervisor.onExit(foundExited(name, status));
    } catch (error) {
      // Docker down or unreadable state: show unknown rather than failing the engine.
      monitor.setRuntime(name, { state: "unknown" });
      opts.onEvent({
        type: "service.log",
        service: name,
        stream: "stderr",
        line: `vigil: could not attach: ${String(error)}`,
        at: new Date(),
      });
    }
  }

  async function attach(): Promise<void> {
    await Promise.all(Object.keys(config.services).map(attachOne));
  }

  const jobs = new JobHost(config, {
    onEvent: opts.onEvent,
    service: (name) => monitor.snapshot().find((s) => s.name === name),
    setJobFacts: (name, job) => monitor.setRuntime(name, { job }),
    ...(opts.jobRuns ? { store: opts.jobRuns } : {}),
    ...(opts.jobDependencyWaitMs === undefined ? {} : { dependencyWaitMs: opts.jobDependencyWaitMs }),
    ...(authority
      ? { gate: (job: string, due: Date) => authority.claim("job", `job:${job}:${due.toISOString()}`) }
      : {}),
  });
  // Jobs start once attach has told the monitor what runs, so their dependency gates see it.
  const ready = attach().then(() => jobs.start());
  if (opts.monitorChecks !== false) monitor.start();

  return {
    start: (targets, o) => released(lifecycle.start(targets, o)),
    stop: (targets, o) => released(lifecycle.stop(targets, o)),
    restart: (targets, o) => released(lifecycle.restart(targets, o)),
    rollback: (name, o) => released(lifecycle.rollback(name, o)),
    cancel: (id) => lifecycle.cancel(id),
    actions: () => lifecycle.actions(),
    action: (id) => lifecycle.action(id),
    // One instance runs everything: a `node:` there would name who does not run it.
    snapshot: () =>
      opts.localNode === undefined
        ? monitor.snapshot().map((s) => (s.node === undefined ? s : withoutNode(s)))
        : monitor.snapshot(),
    graph: () => graph,
    logs: (name, lines) => runners.runnerFor(service(name)).logs(name, lines),
    async reload(next) {
      const nextGraph = buildGraph(next.services);
      for (const name of overrides.keys()) {
        // A changed service in vigil.yaml is a new deploy: drop the rollback pin.
        if (JSON.stringify(next.services[name]) !== JSON.stringify(config.services[name]))
          overrides.delete(name);
      }
      config = next;
      graph = nextGraph;
      await monitor.update(next);
      reachability.mark();
      await jobs.reload(next);
    },
    attach,
    ready,
    rebalance: async () => {
      await monitor.rebalance?.();
    },
    applyRemoteResult: (result) => monitor.applyRemoteResult?.(result),
    jobs: {
      runNow: (name, by) => jobs.runNow(name, by),
      nextRun: (name) => jobs.nextRun(name),
      names: () => jobs.names(),
    },
    async close(o) {
      await ready.catch(() => {});
      reachability.close();
      await jobs.close();
      await lifecycle.close();
      if (o?.stopServices) await lifecycle.stop([], { requestedBy: "vigil-shutdown" }).done;
      supervisor.close();
      await monitor.stop();
      await runners.close();
    },
  };
}
