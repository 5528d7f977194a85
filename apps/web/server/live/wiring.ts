import type { EngineEvent } from "@vigil/orchestrator";
import type { VigilMetrics } from "../metrics.ts";
import type { SocketHub } from "../socket/hub.ts";
import { resourceValues } from "./resources.ts";
import type { LiveState } from "./state.ts";

/**
 * Fans every engine event out to the store (history), the live state (rings, action tracker),
 * the metrics and the socket hub. Each sink is isolated: a failing one is logged, never allowed
 * to stop the others or to throw back into the engine.
 */
export function createEventRouter(parts: {
  live: LiveState;
  metrics: VigilMetrics;
  hub: () => SocketHub | undefined;
  log: (line: string) => void;
  /** Alert decisions see every event too (status changes and counted results). */
  alerting?: { observe(event: EngineEvent): void } | undefined;
  /**
   * Cluster mode: own results go to the other instances, and a service's status transitions are
   * recorded by its owner only (every instance derives the same ones).
   */
  cluster?: { observe(event: EngineEvent): void; owns(service: string): boolean } | undefined;
}): (event: EngineEvent) => void {
  const { live, metrics, log } = parts;
  const store = live.store;
  // Built once: the router runs for every probe result (1,000 a second at 10,000 services), where a
  // closure per sink per event showed in the profile. Absent sinks are left out, not called.
  const sinks: [what: string, sink: (event: EngineEvent) => void][] = [
    ["live state", (event) => applyToLive(live, event)],
    ["history store", (event) => record(live, event)],
    ["metrics", (event) => metrics.observe(event)],
    ["socket push", (event) => parts.hub()?.publish(event)],
  ];
  const { alerting, cluster } = parts;
  if (alerting) sinks.push(["alerting", (event) => alerting.observe(event)]);
  if (cluster) sinks.push(["cluster bus", (event) => cluster.observe(event)]);
  let failures = 0;

  return (event) => {
    for (const [what, sink] of sinks) {
      try {
        sink(event);
      } catch (err) {
        // Bounded so a sink that fails on every event cannot flood the log.
        if (failures++ < 20) log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  function record(live: LiveState, event: EngineEvent): void {
    switch (event.type) {
      case "check.result":
        // Expected failures (stopped, still starting) are not downtime: keep them out of history.
        // A cluster peer's result is in history already: its owner wrote it.
        if (!event.counted || event.remote) return;
        store.recordResult({
          service: event.service,
          check: event.check,
          at: event.at,
          status: event.result.status,
          latencyMs: event.result.latencyMs,
          message: event.result.message,
          ...(event.result.values === undefined ? {} : { values: event.result.values }),
        });
        return;
      case "service.resources": {
        const { type: _type, service, at, ...usage } = event;
        store.recordResources({ service, at, values: resourceValues(usage) });
        return;
      }
      case "service.status":
        if (parts.cluster && !parts.cluster.owns(event.service)) return;
        store.recordEvent({
          at: event.at,
          service: event.service,
          type: "status",
          from: event.from,
          to: event.to,
          message: event.reason,
          actionId: null,
        });
        return;
      case "service.restarted":
        store.recordEvent({
          at: event.at,
          service: event.service,
          type: "restart",
          from: null,
          to: null,
          message: `restart ${event.attempt}${event.crashLoop ? " (crash loop)" : ""}: ${event.reason}`,
          actionId: null,
        });
        return;
      case "action.planned":
        store.recordAction({
          id: event.plan.actionId,
          kind: event.plan.kind,
          targets: event.plan.targets,
          waves: event.plan.waves,
          requestedBy: event.plan.requestedBy,
          startedAt: event.at,
        });
        return;
      case "action.finished": {
        const view = live.actions.get(event.actionId);
        store.updateAction(event.actionId, {
          finishedAt: event.at,
          result: event.result,
          message: event.message,
          steps: view?.steps ?? [],
        });
        store.recordEvent({
          at: event.at,
          service: null,
          type: "action",
          from: null,
          to: event.result,
          message: `${event.kind} ${event.result} in ${Math.round(event.durationMs)} ms: ${event.message}`,
          actionId: event.actionId,
        });
        return;
      }
      default:
        return;
    }
  }
}

function applyToLive(live: LiveState, event: EngineEvent): void {
  if (event.type === "check.result") {
    // Counted exactly as the store counts it (expected failures while stopped/starting are not).
    if (event.counted) live.uptime.record(event.service, event.at, event.result.status === "unhealthy");
    if (live.isPrimary(event.service, event.check)) {
      live.rings.push(event.service, event.result.status === "unhealthy" ? null : event.result.latencyMs);
    }
  } else if (event.type === "service.log") {
    live.logs.push({
      service: event.service,
      stream: event.stream,
      line: event.line,
      at: event.at.toISOString(),
    });
  } else if (
    event.type === "action.planned" ||
    event.type === "action.step" ||
    event.type === "action.finished"
  ) {
    live.actions.apply(event);
  }
}
