import { type Config, createEngine, type Engine, type EngineEvent } from "@vigil/orchestrator";
import type { CommandContext } from "./context.ts";

export interface EngineMode {
  /** Only watches (status, health, logs, watch): never acts on the services. */
  observer?: boolean;
}

/**
 * The config with every restart policy off. An observer adopts processes it did not start and
 * cannot tell a crash from a stop made by another vigil: with the real policies it would bring
 * back a service someone just stopped. Restarting is for whoever owns the services.
 */
export function withoutRestartPolicies(config: Config): Config {
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, service]) => [
      name,
      { ...service, restart: { ...service.restart, policy: "no" as const } },
    ]),
  );
  return { ...config, services };
}

/**
 * Opens the engine on the shared state directory and waits until it has found the services an
 * earlier invocation (or the web app) started. Its periodic checks stay off: a one-shot command
 * must not leave timers running, and the commands that need health run a monitor themselves.
 */
export async function openEngine(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void,
  mode: EngineMode = {},
): Promise<Engine> {
  const config = mode.observer ? withoutRestartPolicies(ctx.config) : ctx.config;
  const engine = createEngine({ config, stateDir: ctx.stateDir, onEvent, monitorChecks: false });
  await engine.ready;
  return engine;
}

/** Runs `body` with an engine and always closes it, leaving the services running. */
export async function withEngine<T>(
  ctx: CommandContext,
  onEvent: (event: EngineEvent) => void,
  body: (engine: Engine) => Promise<T>,
  mode: EngineMode = {},
): Promise<T> {
  const engine = await openEngine(ctx, onEvent, mode);
  try {
    return await body(engine);
  } finally {
    await engine.close({ stopServices: false });
  }
}
