import { withCleanup } from "../lib/cleanup.ts";
import { fleetConfig } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { startPushServer } from "../lib/push-server.ts";
import { connectClients, type SnapshotSize } from "../lib/socket-clients.ts";
import { percentile } from "../lib/stats.ts";
import { type HttpTarget, startHttpTarget } from "../lib/target.ts";
import { sleep, waitUntil } from "../lib/time.ts";
import type { Scenario } from "../types.ts";

/*
 * Push through the real server composition, in two parts:
 * 1. Snapshot size and stream: 1,000 services, each checked once, then one client connects and
 *    counts the messages (and the results they carry) it receives for a while.
 * 2. Latency: 200 clients (in a child process, like browsers apart from the server) watch a
 *    stack whose service "flip" the target turns to 503 and back. Latency = a client receiving
 *    the `status` delta − the moment the server handed the causing probe result to its router.
 *    Part 2 runs a small stack on purpose: with 1,000 services every client also receives ~200
 *    results/s, and 200 clients in one process on this 2-core machine cannot parse 40,000
 *    results/s, batched or not — the harness, not Vigil, would be measured (see BENCHMARKS.md).
 */

const SNAPSHOT_SERVICES = 1000;
const LATENCY_SERVICES = 50;
const CLIENTS = 200;
const FLIP = "flip";

export const push: Scenario = {
  name: "push",
  description: `${CLIENTS} Socket.IO clients, a target goes down: status latency; snapshot size for ${SNAPSHOT_SERVICES} services`,
  async run({ quick }) {
    const cycles = quick ? 5 : 20;
    return withCleanup(async (cleanup) => {
      const target = await startHttpTarget(cleanup);
      const { snapshot, stream } = await measureSnapshot(target, quick ? 5000 : 10_000);
      const latency = await measureLatency(target, cycles);
      return {
        metrics: [
          metric("down → all clients p50", percentile(latency.down, 50), "ms"),
          metric("down → all clients p99", percentile(latency.down, 99), "ms", { below: 100 }),
          metric("recovery → all clients p99", percentile(latency.up, 99), "ms"),
          metric(
            `snapshot on connect, ${SNAPSHOT_SERVICES} services (raw payload)`,
            snapshot.raw / 1000,
            "kB",
            {
              below: 100,
            },
          ),
          metric("snapshot compressed (deflate, as sent)", snapshot.deflated / 1000, "kB"),
          metric(
            `messages per client, ${SNAPSHOT_SERVICES} services`,
            stream.messages / stream.seconds,
            "msg/s",
          ),
          metric("results delivered per client", stream.results / stream.seconds, "results/s"),
        ],
        notes: [
          `${cycles} down/up cycles × ${CLIENTS} clients = ${latency.down.length} down samples (max ${Math.max(...latency.down).toFixed(1)} ms) on a ${LATENCY_SERVICES}-service stack`,
          `snapshot: ${snapshot.raw} B of JSON (the event payload as Socket.IO serialises it) with 30-point sparklines after every check ran once; permessage-deflate (on for messages > 4 kB) makes the packet ~${snapshot.deflated} B on the wire`,
          `stream: one client counted ${stream.messages} messages carrying ${stream.results} results in ${stream.seconds} s from ${SNAPSHOT_SERVICES} services checked every 5 s; a server with 200 such clients sends 200 × that`,
          "store: the web layer's in-memory StorePort (sparklines seeded), so these are the push path's numbers, not Postgres's",
          ...latency.logs.slice(0, 3).map((l) => `server log: ${l}`),
        ],
      };
    });
  },
};

function flipConfig(target: HttpTarget, services: number, interval: string) {
  return fleetConfig({
    project: "bench-push",
    targetUrl: target.url,
    count: services - 1,
    interval,
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
}

async function measureSnapshot(
  target: HttpTarget,
  countMs: number,
): Promise<{ snapshot: SnapshotSize; stream: { messages: number; results: number; seconds: number } }> {
  return withCleanup(async (cleanup) => {
    const { url } = await startPushServer(cleanup, flipConfig(target, SNAPSHOT_SERVICES, "5s"), FLIP);
    // First runs spread over the interval: after one interval every service has a result.
    await sleep(6000);
    const { child, snapshot } = await connectClients(cleanup, url, 1, FLIP);
    child.send({ type: "count", ms: countMs });
    const counted = await child.next("counted", countMs + 10_000);
    return {
      snapshot,
      stream: { messages: counted.messages, results: counted.results, seconds: countMs / 1000 },
    };
  });
}

async function measureLatency(
  target: HttpTarget,
  cycles: number,
): Promise<{ down: number[]; up: number[]; logs: string[] }> {
  return withCleanup(async (cleanup) => {
    const { server, url, resultAt, logs } = await startPushServer(
      cleanup,
      flipConfig(target, LATENCY_SERVICES, "10s"),
      FLIP,
    );
    await waitUntil(
      "flip to be healthy",
      () => (server.engine.snapshot().find((s) => s.name === FLIP)?.status === "healthy" ? true : undefined),
      30_000,
    );
    const { child } = await connectClients(cleanup, url, CLIENTS, FLIP);
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
          const at = resultAt.get(`${t.to}|${t.at}`);
          if (at === undefined)
            throw new Error(`clients saw a transition the server did not record: ${t.to}`);
          for (const received of t.times) into.push(received - at);
          if ((t.to === "healthy") === wantUp) break;
        }
      }
    }
    return { down, up, logs };
  });
}
