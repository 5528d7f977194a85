import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { realEngine } from "../../apps/web/server/adapters/engine.ts";
import { createVigilServer, type VigilServer } from "../../apps/web/server/app.ts";
import type { EngineFactory } from "../../apps/web/server/ports.ts";
import type { Config } from "../../packages/orchestrator/src/index.ts";
import type { Cleanup } from "./cleanup.ts";
import { SeededStore } from "./seeded-store.ts";
import { epochMs } from "./time.ts";

/**
 * The real server composition (createVigilServer + the real engine: API and Socket.IO, no Next)
 * in this process, on the web layer's in-memory store. For `watched`, it remembers when the
 * probe result behind each status change reached the event router (epoch ms), keyed like the
 * clients see the change: `${to}|${at}`.
 */
export async function startPushServer(
  cleanup: Cleanup,
  config: Config,
  watched: string,
): Promise<{ server: VigilServer; url: string; resultAt: Map<string, number>; logs: string[] }> {
  const resultAt = new Map<string, number>();
  let lastResult = 0;
  const engine: EngineFactory = (opts) =>
    realEngine({
      ...opts,
      onEvent(event) {
        if (event.type === "check.result" && event.service === watched) lastResult = epochMs();
        if (event.type === "service.status" && event.service === watched)
          resultAt.set(`${event.to}|${event.at.toISOString()}`, lastResult);
        opts.onEvent(event);
      },
    });
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-push-"));
  cleanup.add("state dir", () => rm(stateDir, { recursive: true, force: true }));
  const logs: string[] = [];
  const server = await createVigilServer({
    config,
    engine,
    store: new SeededStore(),
    stateDir,
    host: "127.0.0.1",
    port: 0,
    next: false,
    log: (line) => {
      if (logs.length < 20) logs.push(line);
    },
  });
  cleanup.add("vigil server", () => server.close({ stopServices: false, timeoutMs: 10_000 }));
  return { server, url: `http://127.0.0.1:${server.port}`, resultAt, logs };
}
