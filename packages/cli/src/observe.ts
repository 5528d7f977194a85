import {
  containerOf,
  createMonitor,
  type Engine,
  type EngineEvent,
  type Monitor,
  type ServiceSnapshot,
} from "@vigil/orchestrator";
import type { CommandContext } from "./context.ts";
import { openEngine } from "./engine.ts";

/**
 * The engine knows what runs (it attaches to services an earlier invocation or the web app
 * started); the monitor runs the checks and derives each service's status. An observer keeps
 * the monitor fed with the engine's runtime facts.
 */
export interface Observer {
  /** Re-reads runtime facts (including services started or stopped elsewhere since). */
  sync(): Promise<void>;
  /** Runs every check now, in parallel, instead of waiting for its jittered first interval. */
  runNow(): Promise<void>;
  snapshot(): ServiceSnapshot[];
  close(): Promise<void>;
}

export async function openObserver(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void = () => {},
  opts: { periodic?: boolean } = {},
): Promise<Observer> {
  const { config } = ctx;
  const engine: Engine = await openEngine(ctx, onEvent, { observer: true });
  const monitor: Monitor = createMonitor({
    config,
    onEvent,
    containerFor: (name) => containerOf(config, name),
  });
  const copyRuntime = (): void => {
    for (const service of engine.snapshot()) {
      monitor.setRuntime(service.name, service.runtime);
      monitor.setActiveAction(service.name, service.activeAction);
    }
  };
  copyRuntime();
  if (opts.periodic) monitor.start();
  return {
    async sync() {
      await engine.attach();
      copyRuntime();
    },
    runNow: () => monitor.runNow(),
    snapshot: () => monitor.snapshot(),
    async close() {
      await monitor.stop();
      await engine.close({ stopServices: false });
    },
  };
}

/** Every check run once; the board as it stands after. */
export async function observe(ctx: CommandContext): Promise<ServiceSnapshot[]> {
  const observer = await openObserver(ctx);
  try {
    await observer.runNow();
    return observer.snapshot();
  } finally {
    await observer.close();
  }
}
