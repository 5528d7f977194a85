import { createEngine, type Engine, type EngineEvent } from "@vigil/orchestrator";
import type { CommandContext } from "./context.ts";

/**
 * Opens the engine on the shared state directory and waits until it has found the services an
 * earlier invocation (or the web app) started. Its periodic checks stay off: a one-shot command
 * must not leave timers running, and the commands that need health run a monitor themselves.
 */
export async function openEngine(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void,
): Promise<Engine> {
  const engine = createEngine({ config: ctx.config, stateDir: ctx.stateDir, onEvent, monitorChecks: false });
  await engine.ready;
  return engine;
}

/** Runs `body` with an engine and always closes it, leaving the services running. */
export async function withEngine<T>(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void,
  body: (engine: Engine) => Promise<T>,
): Promise<T> {
  const engine = await openEngine(ctx, onEvent);
  try {
    return await body(engine);
  } finally {
    await engine.close({ stopServices: false });
  }
}
