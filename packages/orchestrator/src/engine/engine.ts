import { join } from "node:path";
import type { Config, ServiceConfig } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { buildGraph, type DependencyGraph } from "../graph/graph.ts";
import { ExitWatch } from "../lifecycle/exit-watch.ts";
import { createLifecycle, type Lifecycle } from "../lifecycle/lifecycle.ts";
import { RestartSupervisor } from "../lifecycle/restart-policy.ts";
import { RevisionStore } from "../lifecycle/revisions.ts";
import { runtimeOf } from "../lifecycle/service-start.ts";
import type { ActionHandle, LifecycleDeps } from "../lifecycle/types.ts";
import { createMonitor } from "../monitor/monitor.ts";
import { containerOf } from "../runners/docker-spec.ts";
import { createRunnerRegistry } from "../runners/registry.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";
import type { MonitorFactory } from "./monitor-port.ts";

export interface EngineOptions {
  config: Config;
  /** Pid files, logs and revisions.json live here. */
  stateDir: string;
  onEvent: (event: EngineEvent) => void;
  /** Run the monitor's periodic checks (default true); health gates work either way. */
  monitorChecks?: boolean;
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
  /** Stops monitors, streams and timers; services keep running unless `stopServices`. */
  close(opts?: { stopServices?: boolean }): Promise<void>;
}

/** Composes graph, monitor, runners and lifecycle for one project. */
export function createEngine(opts: EngineOptions): Engine {
  let config = opts.config;
  let graph = buildGraph(config.services);
  const overrides = new Map<string, ServiceConfig>();
  const service = (name: string): ServiceConfig => {
    const found = overrides.get(name) ?? config.services[name];
    if (!found) throw new Error(`unknown service "${name}"`);
    return found;
  };
  const containerFor = (name: string) => containerOf(config, name);
  const monitor = (opts.createMonitor ?? createMonitor)({ config, onEvent: opts.onEvent, containerFor });
  const exits = new ExitWatch();
  const runners = createRunnerRegistry({
    project: config.project,
    stateDir: opts.stateDir,
    onEvent: opts.onEvent,
    onExit: (exit) => {
      monitor.setRuntime(exit.service, { state: exit.requested ? "stopped" : "exited", exitCode: exit.code });
      exits.notify(exit);
      supervisor.onExit(exit);
    },
  });
  const supervisor = new RestartSupervisor({
    service: (name) => overrides.get(name) ?? config.services[name],
    isBusy: (name) => lifecycle.isBusy(name),
    onEvent: opts.onEvent,
    setRuntime: (name, runtime) => monitor.setRuntime(name, runtime),
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

  async function attach(): Promise<void> {
    await Promise.all(
      Object.keys(config.services).map(async (name) => {
        const svc = service(name);
        try {
          monitor.setRuntime(name, runtimeOf(await runners.runnerFor(svc).attach(name, svc)));
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
      }),
    );
  }

  const ready = attach();
  if (opts.monitorChecks !== false) monitor.start();

  return {
    start: (targets, o) => released(lifecycle.start(targets, o)),
    stop: (targets, o) => released(lifecycle.stop(targets, o)),
    restart: (targets, o) => released(lifecycle.restart(targets, o)),
    rollback: (name, o) => released(lifecycle.rollback(name, o)),
    cancel: (id) => lifecycle.cancel(id),
    actions: () => lifecycle.actions(),
    action: (id) => lifecycle.action(id),
    snapshot: () => monitor.snapshot(),
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
    },
    attach,
    ready,
    async close(o) {
      await ready.catch(() => {});
      await lifecycle.close();
      if (o?.stopServices) await lifecycle.stop([], { requestedBy: "vigil-shutdown" }).done;
      supervisor.close();
      await monitor.stop();
      await runners.close();
    },
  };
}
