import { createEngine, type Engine, type EngineEvent } from "@vigil/orchestrator";
import type { CommandContext } from "./context.ts";

/**
 * Opens the engine on the shared state directory and waits until it has found the services an
 * earlier invocation (or the web app) started. Periodic checks stay off unless asked: a one-shot
 * command must not leave timers running or probe more than it needs.
 */
export async function openEngine(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void = () => {},
  opts: { monitorChecks?: boolean } = {},
): Promise<Engine> {
  const engine = createEngine({
    config: ctx.config,
    stateDir: ctx.stateDir,
    onEvent,
    monitorChecks: opts.monitorChecks ?? false,
  });
  await engine.ready;
  return engine;
}

/** Runs `body` with an engine and always closes it, leaving the services running. */
export async function withEngine<T>(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void,
  body: (engine: Engine) => Promise<T>,
  opts: { monitorChecks?: boolean } = {},
): Promise<T> {
  const engine = await openEngine(ctx, onEvent, opts);
  try {
    return await body(engine);
  } finally {
    await engine.close({ stopServices: false });
  }
}
