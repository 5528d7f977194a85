import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createOutboxStore } from "../../packages/db/src/index.ts";
import {
  AlertDecider,
  alertServices,
  Dispatcher,
  MaintenanceCalendar,
  OutboxRecorder,
  parseConfigText,
} from "../../packages/orchestrator/src/index.ts";
import { type ChannelConfig, sendWith } from "../../packages/orchestrator/src/notify/index.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { metric } from "../lib/metric.ts";
import { percentile } from "../lib/stats.ts";
import { migratedDatabase } from "../lib/vigil-db.ts";
import type { Scenario } from "../types.ts";

/*
 * `pnpm bench alerts`: 1,000 services in 10 trees of 100; the 10 roots fail and everything below
 * them turns blocked (a third also fail their own checks). Measures how many notifications the
 * decisions send (target: one per root), the time from a failure being observed to the webhook
 * arriving at a real local receiver (through the Postgres outbox), and outbox throughput.
 */

const ROOTS = 10;
const PER_TREE = 100;

function fleetYaml(hookUrl: string): string {
  const lines = ["services:"];
  for (let r = 0; r < ROOTS; r++) {
    lines.push(`  root${r}: { kind: external }`);
    for (let i = 1; i < PER_TREE; i++) {
      // Chains of depth up to 3 below each root, so blocking is transitive too.
      const parent = i < 10 ? `root${r}` : `s${r}_${i % 10 === 0 ? 1 : Math.floor(i / 10)}`;
      lines.push(`  s${r}_${i}: { kind: external, depends_on: [${parent}] }`);
    }
  }
  lines.push(
    "alerting:",
    "  channels:",
    `    hook: { kind: webhook, url: "${hookUrl}" }`,
    "  routes:",
    "    - { channels: [hook] }",
  );
  return `${lines.join("\n")}\n`;
}

export const alerts: Scenario = {
  name: "alerts",
  description:
    "1,000 services, 10 failing roots: notifications sent, failure → received p99, outbox deliveries/s",
  run: ({ quick }) =>
    withCleanup(async (cleanup) => {
      const arrivals = new Map<string, number>();
      const receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const id = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string }).id;
          arrivals.set(id, performance.now());
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      cleanup.add("receiver", () => new Promise((resolve) => receiver.close(resolve)));
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const { config } = parseConfigText(fleetYaml(hookUrl), "bench.yaml");
      const { db } = await migratedDatabase(cleanup, "alerts");
      const recorder = new OutboxRecorder(createOutboxStore(db));
      const channel = config.alerting.channels.hook as ChannelConfig;
      const dispatcher = new Dispatcher({
        recorder,
        send: (_c, n, ctx) => sendWith(channel, n, ctx),
        redact: (t) => t,
        giveUpAfterMs: 60_000,
      });
      cleanup.add("dispatcher", async () => {
        await dispatcher.stop();
        await recorder.stop();
      });
      let ids = 0;
      const decider = new AlertDecider({
        services: alertServices(config),
        routes: config.alerting.routes,
        publicUrl: config.alerting.public_url,
        calendar: new MaintenanceCalendar([]),
        newId: () => `n${++ids}`,
      });
      const names = Object.keys(config.services);
      const at0 = Date.now();
      decider.handle({
        type: "status",
        at: at0,
        services: names.map((service) => ({ service, status: "healthy", reason: "", blockedBy: [] })),
      });

      // 1. The storm: every root fails; all 990 dependents become blocked, a third fail on their own too.
      const observedAt = new Map<string, number>();
      const failing = names.map((service, i) => {
        const root = service.startsWith("root");
        const tree = root ? service.slice(4) : service.slice(1).split("_")[0];
        const own = !root && i % 3 === 0;
        return {
          service,
          status: root || own ? ("unhealthy" as const) : ("blocked" as const),
          reason: "down",
          blockedBy: root || own ? [] : [`root${tree}`],
        };
      });
      const decided = decider.handle({ type: "status", at: at0 + 1000, services: failing });
      const t = performance.now();
      for (const d of decided) {
        observedAt.set(d.notification.id, t);
        dispatcher.submit(d.notification, d.channels);
      }
      const deadline = Date.now() + 30_000;
      while (arrivals.size < decided.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));

      // 2. Failure → received over repeated single-root failures (one at a time, as they happen).
      const rounds = quick ? 50 : 300;
      const latencies: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const root = `root${i % ROOTS}`;
        const at = at0 + 10_000 + i * 2000;
        decider.handle({
          type: "status",
          at,
          services: [{ service: root, status: "healthy", reason: "", blockedBy: [] }],
        });
        const start = performance.now();
        const out = decider.handle({
          type: "status",
          at: at + 1000,
          services: [{ service: root, status: "unhealthy", reason: "down", blockedBy: [] }],
        });
        for (const d of out) dispatcher.submit(d.notification, d.channels);
        const trigger = out.find((d) => d.notification.event === "trigger");
        if (!trigger) continue;
        const id = trigger.notification.id;
        const limit = Date.now() + 5000;
        while (!arrivals.has(id) && Date.now() < limit) await new Promise((r) => setImmediate(r));
        const got = arrivals.get(id);
        if (got !== undefined) latencies.push(got - start);
      }

      // 3. Throughput: N notifications submitted at once, all through the outbox to the receiver.
      const burst = quick ? 1000 : 5000;
      const before = arrivals.size;
      const burstStart = performance.now();
      for (let i = 0; i < burst; i++) {
        const n = { ...decided[0]!.notification, id: `burst${i}`, incidentKey: `burst${i}` };
        dispatcher.submit(n, ["hook"]);
      }
      const burstDeadline = Date.now() + 120_000;
      while (arrivals.size < before + burst && Date.now() < burstDeadline)
        await new Promise((r) => setTimeout(r, 5));
      const burstSeconds = (performance.now() - burstStart) / 1000;
      await recorder.flushed(AbortSignal.timeout(120_000));

      return {
        metrics: [
          metric("notifications for 10 failing roots (1,000 services)", decided.length, "notifications", {
            below: ROOTS + 1,
          }),
          metric("failure observed → webhook received, p50", percentile(latencies, 50), "ms"),
          metric("failure observed → webhook received, p99", percentile(latencies, 99), "ms", {
            below: 1000,
          }),
          metric(
            "outbox deliveries (one channel, Postgres outbox)",
            (arrivals.size - before) / burstSeconds,
            "/s",
            { atLeast: 500 },
          ),
        ],
        notes: [
          `storm: ${decided.length} notifications naming ${new Set(decided.map((d) => d.notification.rootCause.service)).size} roots; the largest lists ${Math.max(...decided.map((d) => d.notification.affected.length))} affected services`,
          `latency over ${latencies.length} single-root failures; throughput over ${burst} deliveries in ${burstSeconds.toFixed(1)} s`,
        ],
      };
    }),
};
