import { afterEach } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { createMonitor, type Monitor } from "../monitor/monitor.ts";
import { startHttpServer, type TestServer } from "./http-server.ts";

/**
 * Shared setup of the monitor tests: real HTTP servers on port 0 and monitors from a parsed
 * config, each stopped after the test (last started, first stopped). Call once per test file.
 */
export function monitorHarness() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    /** Runs `cleanup` after the current test. */
    defer(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },
    async serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
      const server = await startHttpServer(handler);
      cleanups.push(() => server.close());
      return server;
    },
    /** A monitor over `config` (parsed by ConfigSchema), stopped after the test. */
    monitor(config: unknown, onEvent: (event: EngineEvent) => void = () => {}): Monitor {
      const m = createMonitor({ config: ConfigSchema.parse(config), onEvent });
      cleanups.push(() => m.stop());
      return m;
    },
  };
}
