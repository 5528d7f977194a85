import { createVigilServer, type VigilServer, type VigilServerOptions } from "../app.ts";
import type { StorePort } from "../ports.ts";
import { MemoryStore } from "./memory-store.ts";
import type { ScriptedEngine } from "./static-engine.ts";

/**
 * The web layer over a ScriptedEngine, without Next, on a free port of 127.0.0.1, logging
 * nothing; the store is an empty MemoryStore unless given. Other options pass through.
 */
export function startScriptedServer(
  engine: ScriptedEngine,
  opts: Omit<VigilServerOptions, "engine" | "store" | "stateDir"> & { store?: StorePort },
): Promise<VigilServer> {
  return createVigilServer({
    engine: ({ onEvent }) => {
      engine.onEvent = onEvent;
      return engine;
    },
    store: new MemoryStore(),
    stateDir: "/tmp",
    host: "127.0.0.1",
    port: 0,
    next: false,
    log: () => undefined,
    ...opts,
  });
}
