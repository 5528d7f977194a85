// Child process for the buffer-overflow memory test (run with --expose-gc): a real history store
// on Postgres behind a TCP proxy; with the proxy cut it records `steps` × `step` results and, once
// before the first step and after each, collects garbage and prints the queue and memory figures.
// With "flush" it then brings the proxy back and flushes. One JSON object per stdout line.
import { createDb } from "../client.ts";
import { createHistoryStore } from "../history/store.ts";
import { startProxy } from "./proxy.ts";

const [url, maxArg, stepArg, stepsArg, mode] = process.argv.slice(2);
const maxBuffered = Number(maxArg);
const step = Number(stepArg);
const steps = Number(stepsArg);
const gc = globalThis.gc;
if (!url || !(maxBuffered > 0) || !(step > 0) || !(steps > 0) || !gc) {
  throw new Error(
    "usage: node --expose-gc --import tsx overflow-writer.ts DATABASE_URL MAX_BUFFERED STEP STEPS [flush]",
  );
}

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const target = new URL(url);
const proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
const proxied = new URL(url);
proxied.port = String(proxy.port);
const db = createDb({ url: proxied.toString(), maxConnections: 1 });
// The retry is pushed past the run so no drain (take + put back) happens between two samples:
// each sample sees the queue exactly as pushes at the bound leave it, the worst case for memory.
const store = createHistoryStore({ db, maxBuffered, flushIntervalMs: 50, retryMinMs: 600_000 });

const services = Array.from({ length: 40 }, (_, i) => `svc-${String(i).padStart(2, "0")}-payments-api`);
const checks = ["http", "tcp", "postgres"];
const start = Date.UTC(2026, 10, 20, 10, 0, 0);
/** Index of the next result; the results of the outage are #1..#pushed, #0 is written before it. */
let pushed = 0;

function record(i: number, service = services[i % services.length]!): void {
  const latency = 5 + ((i * 37) % 4_000) / 10;
  const unhealthy = i % 7 === 0;
  store.recordResult({
    service,
    check: checks[i % checks.length]!,
    at: new Date(start + i * 10),
    status: unhealthy ? "unhealthy" : "healthy",
    latencyMs: latency,
    // Realistic, unique messages (60-120 chars) so every buffered result holds its own strings.
    message: unhealthy
      ? `GET https://payments.internal:8443/healthz -> 503 Service Unavailable after ${latency} ms (#${i})`
      : `GET https://payments.internal:8443/healthz -> 200 OK in ${latency} ms, body 512 B (#${i})`,
  });
}

const sample = () => {
  // Twice: what a first full collection finalises (weak callbacks) is only reclaimed by a second.
  gc();
  gc();
  const m = process.memoryUsage();
  const h = store.health();
  return { pushed, queueDepth: h.queueDepth, dropped: h.dropped, rss: m.rss, heapUsed: m.heapUsed };
};

try {
  // A live connection through the proxy first, so the outage cuts a real session.
  record(0, "warmup");
  await store.flush();
  await proxy.down();
  // The store has failed a write and waits for its retry before the overflow begins.
  record(++pushed);
  const deadline = Date.now() + 10_000;
  while (store.health().state !== "degraded") {
    if (Date.now() > deadline) throw new Error("the store never noticed the cut proxy");
    await sleep(20);
  }
  // Before the overflow: what the process weighs with (almost) nothing buffered.
  emit({ sample: sample() });
  for (let s = 1; s <= steps; s++) {
    while (pushed < s * step) record(++pushed);
    emit({ sample: sample() });
  }
  if (mode === "flush") {
    await proxy.up();
    await store.flush();
    emit({ flushed: { health: store.health(), stats: store.stats() } });
  }
} finally {
  await store.close(1_000);
  await db.close();
  await proxy.close();
}
