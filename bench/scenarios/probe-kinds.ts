import {
  CHECK_KINDS,
  CheckSchema,
  type CheckSpec,
  type HeartbeatSource,
  runCheck,
} from "../../packages/orchestrator/src/index.ts";
import { startSmtpServer, type TestSmtpServer } from "../../packages/orchestrator/src/testing/smtp-server.ts";
import { startWsEcho, type TestWsServer } from "../../packages/orchestrator/src/testing/ws-echo.ts";
import { metric } from "../lib/metric.ts";
import { type NetworkTargets, PUSH_OWNER } from "../lib/network-targets.ts";
import { percentile } from "../lib/stats.ts";
import type { HttpTarget } from "../lib/target.ts";
import { epochMs } from "../lib/time.ts";
import type { Metric } from "../types.ts";

/*
 * The probe scenario's mixed-kind step: every check kind that can run on this machine without
 * Docker, each against a real target (the loopback HTTP server, Postgres, Redis, NATS, a shell, and
 * for tls/dns/grpc/push the servers of bench/lib/network-targets.ts),
 * run closed-loop through runCheck with a fixed number in flight — first one kind at a time
 * (checks/s per kind: what one kind costs), then all kinds interleaved (what a mixed fleet gets).
 * Kinds added to the registry without an entry here are listed as not measured.
 */

const IN_FLIGHT = 16;

/** Targets the step starts itself: kinds whose server the machine does not run. */
interface OwnTargets {
  ws: TestWsServer;
  smtp: TestSmtpServer;
}

function specsFor(target: HttpTarget, own: OwnTargets): Partial<Record<string, unknown>> {
  const port = Number(new URL(target.url).port);
  const http = { kind: "http", url: `${target.url}/health` };
  const tcp = { kind: "tcp", port };
  return {
    http,
    tcp,
    command: { kind: "command", command: ["true"] },
    postgres: { kind: "postgres", url: "postgres://127.0.0.1:5432/test" },
    redis: { kind: "redis" },
    nats: { kind: "nats" },
    // The machine's MariaDB, RabbitMQ and Mosquitto; ws and SMTP servers started by the step.
    mysql: { kind: "mysql", query: "select 1", expect: { equals: 1 } },
    amqp: { kind: "amqp" },
    mqtt: { kind: "mqtt", topic: "vigil/bench/round-trip" },
    websocket: { kind: "websocket", url: own.ws.url, send: "ping" },
    smtp: { kind: "smtp", port: own.smtp.port, security: "none" },
    icmp: { kind: "icmp", host: "127.0.0.1", count: 1 },
    composite: { kind: "composite", checks: [http, tcp] },
    staged: {
      kind: "staged",
      stages: [
        { name: "port", check: tcp },
        { name: "api", check: http },
      ],
    },
  };
}

interface Rate {
  kind: string;
  rate: number;
  runs: number;
  failures: number;
  p50: number;
  p99: number;
}

/** Runs `specs` round-robin with IN_FLIGHT at once for `windowMs`; checks/s and latency per kind. */
async function closedLoop(
  specs: readonly CheckSpec[],
  windowMs: number,
  heartbeats: HeartbeatSource | undefined,
): Promise<Rate[]> {
  const latencies = new Map<string, number[]>();
  const failures = new Map<string, number>();
  const deadline = epochMs() + windowMs;
  let next = 0;
  const worker = async () => {
    while (epochMs() < deadline) {
      const spec = specs[next++ % specs.length] as CheckSpec;
      const result = await runCheck(spec, {
        timeoutMs: 5000,
        ...PUSH_OWNER,
        ...(heartbeats ? { heartbeats } : {}),
      });
      const list = latencies.get(spec.kind) ?? [];
      list.push(result.latencyMs);
      latencies.set(spec.kind, list);
      if (result.status === "unhealthy") failures.set(spec.kind, (failures.get(spec.kind) ?? 0) + 1);
    }
  };
  const started = epochMs();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (epochMs() - started) / 1000;
  return [...latencies].map(([kind, list]) => ({
    kind,
    rate: list.length / seconds,
    runs: list.length,
    failures: failures.get(kind) ?? 0,
    p50: percentile(list, 50),
    p99: percentile(list, 99),
  }));
}

export async function mixedKindStep(
  target: HttpTarget,
  windowMs: number,
  network?: NetworkTargets,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const own: OwnTargets = { ws: await startWsEcho(), smtp: await startSmtpServer() };
  try {
    return await measure({ ...specsFor(target, own), ...network?.specs }, windowMs, network?.heartbeats);
  } finally {
    await Promise.all([own.ws.close(), own.smtp.close()]);
  }
}

async function measure(
  inputs: Partial<Record<string, unknown>>,
  windowMs: number,
  heartbeats: HeartbeatSource | undefined,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const specs = CHECK_KINDS.flatMap((kind) => (inputs[kind] ? [CheckSchema.parse(inputs[kind])] : []));
  const missing = CHECK_KINDS.filter((kind) => !inputs[kind]);
  const metrics: Metric[] = [];
  const notes: string[] = [];
  const describe = (r: Rate) =>
    `${r.kind}: ${r.rate.toFixed(0)} checks/s, latency p50 ${r.p50.toFixed(1)} / p99 ${r.p99.toFixed(1)} ms, ${r.runs} runs, ${r.failures} failed`;
  for (const spec of specs) {
    const [rate] = await closedLoop([spec], windowMs, heartbeats);
    if (!rate) continue;
    metrics.push(metric(`checks/s, ${rate.kind} alone (${IN_FLIGHT} in flight)`, rate.rate, "checks/s"));
    notes.push(`alone — ${describe(rate)}`);
  }
  const mixed = await closedLoop(specs, windowMs, heartbeats);
  const total = mixed.reduce((sum, r) => sum + r.rate, 0);
  metrics.push(metric(`checks/s, ${specs.length} kinds mixed (${IN_FLIGHT} in flight)`, total, "checks/s"));
  for (const r of mixed) notes.push(`mixed — ${describe(r)}`);
  notes.push(
    `mixed-kind step: runCheck closed-loop, ${IN_FLIGHT} in flight, ${(windowMs / 1000).toFixed(0)} s per kind and for the mix; targets: loopback HTTP, Postgres, Redis, NATS, MariaDB, RabbitMQ, Mosquitto (round trip), a ws echo server, an SMTP server (banner + EHLO, no TLS), ping 127.0.0.1 (1 echo), \`true\`${heartbeats ? ", a TLS server (openssl CA), dnsmasq, a gRPC health server, a heartbeat store" : ""}; composite = http + tcp, staged = tcp then http`,
  );
  if (missing.length > 0)
    notes.push(`not measured (need Docker or a server this step does not start): ${missing.join(", ")}`);
  return { metrics, notes };
}
