import { createEngine, type Engine } from "@vigil/orchestrator";
import { withTimeout } from "../async.ts";
import type { EngineFactory, EnginePort } from "../ports.ts";

/**
 * Adapts the orchestrator's Engine to the EnginePort the web layer uses: one `run(kind, ...)`
 * entry for POST /api/actions, and a close that cannot hang shutdown.
 */
export function adaptEngine(engine: Engine): EnginePort {
  return {
    ready: engine.ready,
    run(kind, targets, opts) {
      const by = { requestedBy: opts.requestedBy, ...(opts.alone ? { alone: true } : {}) };
      switch (kind) {
        case "start":
          return engine.start(targets, by);
        case "stop":
          return engine.stop(targets, by);
        case "restart":
          return engine.restart(targets, { ...by, withDependents: opts.withDependents ?? false });
        case "rollback": {
          // A rollback returns one service to its previous revision; it names exactly one.
          const [only, ...rest] = targets;
          if (only === undefined || rest.length > 0)
            throw new Error("rollback needs exactly one target service");
          return engine.rollback(only, by);
        }
      }
    },
    cancel: (id) => engine.cancel(id),
    snapshot: () => engine.snapshot(),
    graph: () => engine.graph(),
    jobs: {
      runNow: (name, by) => engine.jobs.runNow(name, by),
      nextRun: (name) => engine.jobs.nextRun(name),
    },
    rebalance: () => engine.rebalance(),
    applyRemoteResult: (result) => engine.applyRemoteResult(result),
    async reload(config) {
      await engine.reload(config);
    },
    async close({ stopServices, timeoutMs }) {
      await withTimeout(engine.close({ stopServices }), timeoutMs, "closing the engine");
    },
  };
}

/** The engine with its real poller (src/monitor: every check on its policy from the start). */
export const realEngine: EngineFactory = (opts) => adaptEngine(createEngine(opts));
