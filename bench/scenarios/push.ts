import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { realEngine } from "../../apps/web/server/adapters/engine.ts";
import { createVigilServer } from "../../apps/web/server/app.ts";
import type { EngineFactory } from "../../apps/web/server/ports.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { fleetConfig } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { SeededStore } from "../lib/seeded-store.ts";
import { connectClients } from "../lib/socket-clients.ts";
import { percentile } from "../lib/stats.ts";
import { startHttpTarget } from "../lib/target.ts";
import { epochMs, waitUntil } from "../lib/time.ts";
import type { Scenario } from "../types.ts";

/*
 * The real server composition (createVigilServer + the real engine, API and sockets, no Next) with
 * 1,000 services. One of them, "flip", probes a path the target can turn to 503; each cycle takes
 * it down and up again. Latency = a client receiving the `status` event − the moment the server
 * process handed the probe result that caused it to its event router. 200 clients live in a child
 * process, like browsers would, so their parsing does not slow the server down.
 */

const SERVICES = 1000;
const CLIENTS = 200;
const FLIP = "flip";

export const push: Scenario = {
  name: "push",
  description: `${CLIENTS} Socket.IO clients, a target goes down: status change latency; snapshot size for ${SERVICES} services`,
  async run({ quick }) {
    const cycles = quick ? 5 : 20;
    return withCleanup(async (cleanup) => {
      const target = await startHttpTarget(cleanup);
      const config = fleetConfig({
        project: "bench-push",
        targetUrl: target.url,
        count: SERVICES - 1,
        interval: "10s",
        extra: {
          [FLIP]: {
            kind: "external",
            checks: [
              {
                kind: "http",
                name: "health",
                url: `${target.url}/flip/${FLIP}`,
                interval: "250ms",
                timeout: "1s",
                failure_threshold: 1,
                success_threshold: 1,
              },
            ],
          },
        },
      });

      // Server side: when did the probe result behind each status change reach the router?
      const transitions = new Map<string, number>();
      let lastFlipResult = 0;
      const engine: EngineFactory = (opts) =>
        realEngine({
          ...opts,
          onEvent(event) {
            if (event.type === "check.result" && event.service === FLIP) lastFlipResult = epochMs();
            if (event.type === "service.status" && event.service === FLIP)
              transitions.set(`${event.to}|${event.at.toISOString()}`, lastFlipResult);
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
      const url = `http://127.0.0.1:${server.port}`;
      await waitUntil(
        "flip to be healthy",
        () =>
          server.engine.snapshot().find((s) => s.name === FLIP)?.status === "healthy" ? true : undefined,
        30_000,
      );

      const { child, snapshotBytes } = await connectClients(cleanup, url, CLIENTS, FLIP);
      // What permessage-deflate sends for it (the server compresses messages over 4 kB).
      const snapshotRes = await fetch(`${url}/api/services`);
      const snapshotJson = await snapshotRes.text();
      const deflated = deflateRawSync(Buffer.from(snapshotJson)).byteLength;

      const down: number[] = [];
      const up: number[] = [];
      for (let i = 0; i < cycles; i++) {
        for (const [wantUp, into] of [
          [false, down],
          [true, up],
        ] as const) {
          await target.setUp(wantUp);
          for (;;) {
            const t = await child.next("transition", 15_000);
            const resultAt = transitions.get(`${t.to}|${t.at}`);
            if (resultAt === undefined)
              throw new Error(`clients saw a transition the server did not record: ${t.to}`);
            for (const at of t.times) into.push(at - resultAt);
            if ((t.to === "healthy") === wantUp) break;
          }
        }
      }

      return {
        metrics: [
          metric("down → all clients p50", percentile(down, 50), "ms"),
          metric("down → all clients p99", percentile(down, 99), "ms", { below: 100 }),
          metric("recovery → all clients p99", percentile(up, 99), "ms"),
          metric(`snapshot on connect (${SERVICES} services, JSON)`, snapshotBytes / 1000, "kB", {
            below: 100,
          }),
          metric("snapshot on the wire (deflate)", deflated / 1000, "kB"),
        ],
        notes: [
          `${cycles} down/up cycles × ${CLIENTS} clients = ${down.length} down samples; max ${Math.max(...down).toFixed(1)} ms`,
          `snapshot JSON ${snapshotBytes} B (GET /api/services body ${Buffer.byteLength(snapshotJson)} B) with 30-point sparklines; deflate-raw ${deflated} B`,
          "store: the web layer's in-memory StorePort (sparklines seeded), so the numbers are the push path, not Postgres",
          ...logs.slice(0, 3).map((l) => `server log: ${l}`),
        ],
      };
    });
  },
};
