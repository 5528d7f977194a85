import type { CheckSpec } from "../config/schema.ts";
import { buildGraph } from "../graph/graph.ts";
import { runCheck } from "../probes/run.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";
import type { EngineMonitor, MonitorFactory } from "./monitor-port.ts";

/** Upper bound between two health polls while waiting, so a start is noticed quickly. */
const MAX_POLL_MS = 500;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener("abort", stop, { once: true });
  });

/**
 * A minimal monitor: runtime bookkeeping for snapshots and an on-demand health gate that runs
 * the service's checks until all pass. No periodic checks, no history: the real monitor
 * (src/monitor) does those; this keeps the engine usable and testable without it.
 */
export const createBasicMonitor: MonitorFactory = ({ config: initial, containerFor }) => {
  let config = initial;
  const runtime = new Map<string, ServiceSnapshot["runtime"]>();
  const active = new Map<string, { id: string; kind: string; requestedBy: string }>();
  const since = new Map<string, Date>();

  /** Runs each check once: the first failure (with the staged stage it reached), or undefined. */
  async function firstFailure(
    name: string,
    checks: CheckSpec[],
    signal: AbortSignal,
  ): Promise<{ message: string; stage?: string } | undefined> {
    for (const check of checks) {
      const timeoutMs = check.timeout ?? config.defaults.check.timeout;
      const opts = { timeoutMs, signal, service: name, ...(containerFor ? { containerFor } : {}) };
      const result = await runCheck(check, opts);
      if (result.status === "unhealthy")
        return { message: result.message, stage: result.stage?.reached ?? undefined };
    }
    return undefined;
  }

  const monitor: EngineMonitor = {
    start() {},
    stop() {},
    update(next) {
      config = next;
    },
    snapshot() {
      const graph = buildGraph(config.services);
      return Object.entries(config.services).map(([name, service]): ServiceSnapshot => {
        const rt = runtime.get(name) ?? {
          state: service.kind === "external" ? "external" : "unknown",
          restarts: 0,
        };
        const status =
          rt.state === "running"
            ? "unknown"
            : rt.state === "stopped"
              ? "stopped"
              : rt.state === "starting"
                ? "starting"
                : "unknown";
        const action = active.get(name);
        return {
          name,
          kind: service.kind,
          group: service.group,
          wave: graph.waveOf(name),
          dependsOn: graph.dependencies(name).map((d) => d.name),
          status,
          reason: "",
          blockedBy: [],
          since: since.get(name) ?? new Date(0),
          latencyMs: null,
          checks: [],
          runtime: rt,
          ...(action ? { activeAction: action } : {}),
        };
      });
    },
    setRuntime(name, patch) {
      const current = runtime.get(name) ?? { state: "unknown", restarts: 0 };
      runtime.set(name, { ...current, ...patch });
      if (patch.state && patch.state !== current.state) since.set(name, new Date());
    },
    setActiveAction(name, action) {
      if (action) active.set(name, action);
      else active.delete(name);
    },
    async waitHealthy(name, { signal, timeoutMs, onStage }) {
      const service = config.services[name];
      if (!service) return { ok: false, message: `unknown service "${name}"` };
      const deadline = Date.now() + timeoutMs;
      let message = "no result yet";
      let lastStage: string | undefined;
      while (!signal.aborted && Date.now() < deadline) {
        const failing = await firstFailure(
          name,
          service.checks,
          AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, deadline - Date.now()))]),
        );
        if (failing === undefined) return { ok: true };
        message = failing.message;
        const stage = failing.stage;
        if (stage && stage !== lastStage) {
          lastStage = stage;
          onStage?.(stage);
        }
        const interval = Math.min(MAX_POLL_MS, ...service.checks.map((c) => c.interval ?? MAX_POLL_MS));
        await sleep(Math.max(25, interval), signal);
      }
      if (signal.aborted) return { ok: false, message: "cancelled" };
      return { ok: false, message: `not healthy within ${timeoutMs}ms: ${message}` };
    },
  };
  return monitor;
};
