// A tiny HTTP service for Vigil's examples: plain Node, no dependencies, no build step.
//
// It serves the standard health document at /health:
//   { status: "healthy" | "degraded" | "unhealthy",
//     checks: { dependencies: { <name>: { status, latency_ms, error? } }, resources: { memory_rss_bytes, ... } },
//     version, uptime_s }
// and /ready (200 only once fully started). Behaviour comes from options or the environment:
//   PORT                 port to listen on (required unless options.port)
//   STAGES               slow staged start, e.g. "loading-model:4000,warming-cache:2000": while a stage
//                        runs, /health answers 503 { status: "starting", stage: "loading-model" }
//   LISTEN_DELAY_MS      wait this long before listening (so "process started" and "port listening"
//                        are separately observable)
//   STARTED_FILE         file written as soon as the process runs, removed on exit
//   DEPENDS_TCP          "redis=127.0.0.1:6379,nats=127.0.0.1:4222": TCP dependencies probed per request
//   DEPENDS_OPTIONAL     "nats": dependencies whose loss only degrades (others make the service unhealthy)
//   SERVICE_NAME, SERVICE_VERSION
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { dirname } from "node:path";

const TCP_TIMEOUT_MS = 1000;
const FORCED_EXIT_MS = 5000;

/** "a=h:1,b=h:2" → [{ name: "a", host: "h", port: 1 }, …] */
export function parseTcpDependencies(text = "") {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, address = ""] = entry.split("=");
      const colon = address.lastIndexOf(":");
      return { name, host: address.slice(0, colon) || "127.0.0.1", port: Number(address.slice(colon + 1)) };
    });
}

/** "loading-model:4000,warming-cache:2000" → [{ name: "loading-model", ms: 4000 }, …] */
export function parseStages(text = "") {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, ms = "0"] = entry.split(":");
      return { name, ms: Number(ms) };
    });
}

/** Connects and disconnects; resolves { status, latency_ms, error? } and never rejects. */
export function probeTcp({ host, port }, timeoutMs = TCP_TIMEOUT_MS) {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (status, error) => {
      socket.destroy();
      const result = { status, latency_ms: Math.round(performance.now() - started) };
      resolve(error ? { ...result, error } : result);
    };
    socket.setTimeout(timeoutMs, () => finish("unhealthy", `timeout after ${timeoutMs}ms`));
    socket.once("connect", () => finish("healthy"));
    socket.once("error", (error) => finish("unhealthy", error.code ?? error.message));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the server and its staged start. Returns { server, port, ready, close }: `ready` resolves
 * when all stages are done; `close()` stops listening and resolves when the server has closed.
 */
export async function startHealthServer(options = {}) {
  const env = options.env ?? process.env;
  const name = options.name ?? env.SERVICE_NAME ?? "service";
  const version = options.version ?? env.SERVICE_VERSION ?? "0.0.0";
  const port = options.port ?? Number(env.PORT ?? Number.NaN);
  if (!Number.isInteger(port) || port < 0) throw new Error(`${name}: set PORT (got ${env.PORT})`);
  const stages = options.stages ?? parseStages(env.STAGES);
  const dependencies = options.dependencies ?? parseTcpDependencies(env.DEPENDS_TCP);
  const optional = new Set((options.optional ?? env.DEPENDS_OPTIONAL ?? "").split(",").filter(Boolean));
  const startedAt = Date.now();
  const state = { stage: stages[0]?.name ?? null };

  const healthDocument = async () => {
    const entries = await Promise.all(dependencies.map(async (dep) => [dep.name, await probeTcp(dep)]));
    const down = entries.filter(([, result]) => result.status !== "healthy").map(([depName]) => depName);
    const status = down.some((d) => !optional.has(d))
      ? "unhealthy"
      : down.length > 0
        ? "degraded"
        : "healthy";
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      status,
      checks: {
        dependencies: Object.fromEntries(entries),
        resources: {
          memory_rss_bytes: memory.rss,
          heap_used_bytes: memory.heapUsed,
          cpu_user_us: cpu.user,
          cpu_system_us: cpu.system,
        },
      },
      service: name,
      version,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
    };
  };

  const server = createServer(async (req, res) => {
    const send = (code, body) => {
      res.writeHead(code, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    try {
      if (path === "/health" || path === "/healthz") {
        if (state.stage !== null) return send(503, { status: "starting", stage: state.stage, version });
        const doc = await healthDocument();
        return send(doc.status === "unhealthy" ? 503 : 200, doc);
      }
      if (path === "/ready") {
        return state.stage === null
          ? send(200, { ready: true })
          : send(503, { ready: false, stage: state.stage });
      }
      if (path === "/") return send(200, { service: name, version });
      return send(404, { error: "not found" });
    } catch (error) {
      return send(500, { status: "unhealthy", error: String(error) });
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.host ?? "127.0.0.1", resolve);
  });
  const boundPort = server.address().port;
  log(name, `listening on 127.0.0.1:${boundPort}`);

  // Stages run after listening: the API answers (503 "starting") while the model loads.
  const ready = (async () => {
    for (const stage of stages) {
      state.stage = stage.name;
      log(name, `stage ${stage.name} (${stage.ms}ms)`);
      await sleep(stage.ms);
    }
    state.stage = null;
    log(name, "ready");
  })();

  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections?.();
    });
  return { server, port: boundPort, ready, close };
}

function log(name, message) {
  process.stdout.write(`${new Date().toISOString()} ${name}: ${message}\n`);
}

/**
 * The whole life of an example service process: marker file, optional listen delay, server,
 * graceful SIGTERM/SIGINT (close, exit 0; forced exit if connections hang on).
 */
export async function runService(options = {}) {
  const env = options.env ?? process.env;
  const name = options.name ?? env.SERVICE_NAME ?? "service";
  const startedFile = env.STARTED_FILE;
  if (startedFile) {
    mkdirSync(dirname(startedFile), { recursive: true });
    writeFileSync(startedFile, `${process.pid}\n`);
  }
  const cleanup = () => {
    if (startedFile) rmSync(startedFile, { force: true });
  };
  let running;
  const shutdown = async (signal) => {
    log(name, `${signal}: shutting down`);
    setTimeout(() => process.exit(0), FORCED_EXIT_MS).unref();
    await running?.close();
    cleanup();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  const delay = Number(env.LISTEN_DELAY_MS ?? 0);
  if (delay > 0) await sleep(delay);
  try {
    running = await startHealthServer({ ...options, name });
  } catch (error) {
    cleanup();
    log(name, `failed to start: ${error.message}`);
    process.exit(1);
  }
  return running;
}
