import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { JobRunHistory } from "@vigil/db";
import {
  type Authority,
  type Config,
  type EngineEvent,
  HeartbeatStore,
  pushTargets,
} from "@vigil/orchestrator";
import { Server as IoServer } from "socket.io";
import { ActionDelta } from "../lib/contract.ts";
import type { StoreBackupResponse } from "../lib/store-backup-contract.ts";
import { type AlertRouteDeps, alertRoutes } from "./alerting/routes.ts";
import { errorMessage, withTimeout } from "./async.ts";
import { setSecurityHeaders } from "./auth/headers.ts";
import { refuseForeignHosts } from "./auth/hosts.ts";
import type { Auth } from "./auth/index.ts";
import { type Authorize, allowAll } from "./auth/seam.ts";
import type { Sql } from "./auth/sql.ts";
import { actOn } from "./cluster/act-on.ts";
import type { ClusterSeam } from "./cluster/seam.ts";
import { LiveState } from "./live/state.ts";
import { createEventRouter } from "./live/wiring.ts";
import { VigilMetrics } from "./metrics.ts";
import type { EngineFactory, EnginePort, SharedProbingPort, StorePort } from "./ports.ts";
import { redactEvent, redactingEngine } from "./redact.ts";
import { actionRoutes, actionState, cancelAction, runAction } from "./rest/actions.ts";
import { historyRoutes } from "./rest/history.ts";
import { jobRoutes, runJobNow } from "./rest/jobs.ts";
import { createPushReceiver } from "./rest/push.ts";
import { pushPaths, pushRoutes } from "./rest/push-urls.ts";
import { type Route, Router } from "./rest/router.ts";
import { serviceRoutes } from "./rest/services.ts";
import { storeBackupRoutes } from "./rest/store-backup.ts";
import { type Readiness, systemRoutes } from "./rest/system.ts";
import { SocketHub, type VigilIo } from "./socket/hub.ts";
import { createStatusPages } from "./status/index.ts";

export interface NextOptions {
  dev: boolean;
  /** The Next app directory (apps/web). */
  dir: string;
}

export interface VigilServerOptions {
  config: Config;
  /** Masks secrets for GET /api/services/:name (loadConfig's redactor). */
  redactConfig?: (config: Config) => Config;
  engine: EngineFactory;
  store: StorePort;
  /** Job run history (job_runs): recorded by the engine, paged by GET /api/jobs/:name/runs. */
  jobRuns?: JobRunHistory;
  /** `vigil backup` through the server (POST /api/store/backup). */
  storeBackup?: (out: string) => Promise<StoreBackupResponse>;
  stateDir: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** false = API, sockets and metrics only (tests, headless). */
  next?: NextOptions | false;
  /** Run `start` on the whole stack once up (the demo stack for a new user). */
  startStack?: boolean;
  /** Tests without sign-in only; ignored when `auth` is given. */
  authorize?: Authorize;
  /** Sign-in, roles, CSRF, share links and audit (server.ts always passes it). */
  auth?: Auth;
  /** Masks config secrets in every log line, engine event, snapshot and REST answer. */
  redact?: (text: string) => string;
  log?: (line: string) => void;
  version?: string;
  /**
   * Control-plane surfaces built on the live state: extra REST routes (behind the gate) and a
   * handler that answers before the router (deploy hooks, which authenticate by signature).
   */
  control?: (live: LiveState) => {
    routes: Route[];
    handle?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  };
  /** Status pages and badges (needs the database); perMinute = public requests per client address. */
  statusPages?: { sql: Sql; perMinute: number; now?: () => Date };
  /** Alerting (decisions, outbox, incidents) and what its REST routes read. */
  alerting?: AlertRouteDeps;
  /** How often batched deltas go to browsers (a status change does not wait); default 250 ms. */
  socketTickMs?: number;
  /** Key the push URLs (/api/push/<token>) are derived from; without it push checks get no URL. */
  pushKey?: string;
  /** Cluster mode: who may restart by policy and run scheduled jobs (the leader); absent = this instance. */
  authority?: Authority;
  /** Cluster mode: the probing shared with the other instances (cluster/probing.ts). */
  probing?: SharedProbingPort;
  /** Cluster mode: this instance's VIGIL_NODE_NAME (process services' `node:` picks who runs them). */
  localNode?: string;
  /** Cluster mode: the Socket.IO adapter and actions forwarded to the instance that owns them. */
  cluster?: ClusterSeam;
}

export interface VigilServer {
  url: string;
  port: number;
  http: HttpServer;
  io: VigilIo;
  live: LiveState;
  engine: EnginePort;
  metrics: VigilMetrics;
  readiness: Readiness;
  /**
   * Swaps in a new validated config without restarting unaffected checks. Pass the new config's
   * redactor too: secrets added by the edit must be masked from then on.
   */
  reload(config: Config, redactConfig?: (config: Config) => Config): Promise<void>;
  close(opts?: { stopServices?: boolean; timeoutMs?: number }): Promise<void>;
}

type NextHandlers = {
  request: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * The composition: engine → (store, live state, metrics, sockets) and one HTTP server that serves
 * REST, /metrics, Socket.IO and — unless `next: false` — the Next.js app.
 */
export async function createVigilServer(opts: VigilServerOptions): Promise<VigilServer> {
  const baseLog = opts.log ?? ((line: string) => console.log(line));
  const redactText = opts.redact ?? ((text: string) => text);
  const log = (line: string) => baseLog(redactText(line));
  const readiness: Readiness = {
    config: true,
    engine: false,
    next: opts.next === false || !opts.next,
    store: true,
  };
  let currentConfig = opts.config;

  // Events can arrive while the engine is still being built; they wait here until wiring exists.
  const early: EngineEvent[] = [];
  let dispatch: (event: EngineEvent) => void = (event) => {
    if (early.length < 10_000) early.push(event);
  };
  const heartbeats = new HeartbeatStore();
  const rawEngine = opts.engine({
    config: opts.config,
    stateDir: opts.stateDir,
    onEvent: (e) => dispatch(opts.redact ? redactEvent(e, redactText) : e),
    heartbeats,
    ...(opts.jobRuns ? { jobRuns: opts.jobRuns } : {}),
    ...(opts.authority ? { authority: opts.authority } : {}),
    ...(opts.probing ? { sharing: opts.probing } : {}),
    ...(opts.localNode === undefined ? {} : { localNode: opts.localNode }),
    ...(opts.cluster ? { actOn: actOn(opts.cluster.routing) } : {}),
  });
  const pushKey = opts.pushKey;
  let pushByToken = pushKey === undefined ? new Map() : pushTargets(opts.config, pushKey);
  const probing = opts.probing;
  const receivePush = createPushReceiver({
    heartbeats,
    targets: () => pushByToken,
    ...(probing
      ? { relay: (service: string, check: string, ping) => probing.relayPing(service, check, ping) }
      : {}),
  });
  const engine = opts.redact ? redactingEngine(rawEngine, redactText) : rawEngine;
  const live = new LiveState(engine, opts.store, opts.config, log);
  const metrics = new VigilMetrics(engine, opts.store, () => live.config);
  let hub: SocketHub | undefined;
  opts.alerting?.runtime.metrics.register(metrics.registry);
  dispatch = createEventRouter({
    live,
    metrics,
    hub: () => hub,
    log,
    alerting: opts.alerting?.runtime,
    cluster: probing,
  });
  for (const event of early.splice(0)) dispatch(event);
  readiness.engine = true;
  await probing?.attach({ engine: rawEngine, heartbeats });

  await live.warm(5000);

  let redact = opts.redactConfig ?? ((c: Config) => c);
  const control = opts.control?.(live);
  const proxyHops = opts.auth?.origins.proxyHops ?? 0;
  const trustProxy = proxyHops > 0;
  const statusPages = opts.statusPages
    ? createStatusPages({
        sql: opts.statusPages.sql,
        history: opts.store,
        snapshot: () => engine.snapshot(),
        secret: opts.auth
          ? (key, fresh) => opts.auth?.service.store.secret(key, fresh) ?? Promise.resolve(fresh)
          : undefined,
        proxyHops,
        perMinute: opts.statusPages.perMinute,
        now: opts.statusPages.now,
      })
    : null;
  const routes: Route[] = [];
  routes.push(
    ...(control?.routes ?? []),
    ...serviceRoutes({ live, redactedConfig: () => redact(currentConfig) }),
    ...historyRoutes({
      live,
      redactedConfig: () => redact(currentConfig),
      maintenance: opts.alerting
        ? (service, from, to, signal) =>
            opts.alerting?.runtime.maintenanceRanges(service, from, to, signal) ?? Promise.resolve([])
        : undefined,
    }),
    ...actionRoutes({
      live,
      redactedConfig: () => redact(currentConfig),
      ...(opts.cluster ? { routing: opts.cluster.routing } : {}),
    }),
    ...jobRoutes({
      live,
      redactedConfig: () => redact(currentConfig),
      ...(opts.jobRuns ? { runs: opts.jobRuns } : {}),
      ...(engine.jobs ? { jobs: engine.jobs } : {}),
      ...(opts.cluster ? { routing: opts.cluster.routing } : {}),
    }),
    ...systemRoutes({ metrics, readiness, routes: () => routes, version: opts.version ?? "0.1.0" }),
    ...pushRoutes({ live, pushPaths: (service) => pushPaths(pushByToken, service) }),
    ...storeBackupRoutes(opts.storeBackup),
    ...(opts.auth?.routes ?? []),
    ...(statusPages?.routes ?? []),
    ...(opts.alerting ? alertRoutes(opts.alerting) : []),
  );
  const router = new Router(
    routes,
    opts.auth?.authorize ?? opts.authorize ?? allowAll,
    (err, req) =>
      log(
        `${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      ),
    redactText,
  );

  const peerActions = opts.cluster?.endpoint({
    action: (request, requestedBy, o) => runAction(live, request, requestedBy, o),
    jobRun: (job, requestedBy) => runJobNow(live, engine.jobs, job, requestedBy),
    cancel: (actionId) => cancelAction(live, actionId),
    state: (actionId) => actionState(live, actionId),
  });
  let nextHandlers: NextHandlers | undefined;
  const http = createServer((req, res) => {
    void (async () => {
      const page = !NOT_PAGES.test((req.url ?? "/").split("?")[0] ?? "/");
      setSecurityHeaders(req, res, { trustProxy, page });
      if (await receivePush(req, res)) return;
      if (control?.handle && (await control.handle(req, res))) return;
      if (peerActions && (await peerActions(req, res))) return;
      if (statusPages && (await statusPages.handle(req, res))) return;
      if (await router.handle(req, res)) return;
      // A path that is not valid percent-encoding (`/services/%E0%A4%A`) made Next's router throw: a
      // 500 for what is the client's mistake (issue 19, finding 10).
      if (!decodablePath(req.url)) {
        res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
        res.end("Bad request: the path is not valid percent-encoding.");
        return;
      }
      // Pages need a session like the API does (or a share link for its one service page).
      if (opts.auth && (await opts.auth.pageGate(req, res))) return;
      if (nextHandlers) return nextHandlers.request(req, res);
      if (opts.next) {
        // Listening starts before Next is prepared so /healthz and /readyz answer meanwhile.
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "2" });
        res.end("Vigil is starting; the dashboard is being prepared.");
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { code: "not_found", message: `no route for ${req.method} ${req.url}` } }),
      );
    })().catch((err: unknown) => {
      log(`request ${req.url} failed: ${errorMessage(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const io: VigilIo = new IoServer(http, {
    serveClient: false,
    // Next's dev server needs the other upgrades (HMR); Socket.IO must not close them.
    destroyUpgrade: false,
    // Snapshots of large stacks compress well; small deltas are not worth the CPU. ws applies
    // the threshold only without context takeover: with it, every delta to every browser was
    // deflated on its socket's own stream (1,000 browsers: status changes seconds late).
    perMessageDeflate: { threshold: 4096, serverNoContextTakeover: true },
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const adapter = opts.cluster?.attach(io);
  if (adapter)
    log(`cluster: browsers on every instance share broadcasts (Socket.IO ${adapter.kind} adapter)`);
  // Before the hub's connection handler: refused handshakes never reach it.
  opts.auth?.guardSockets(io);
  hub = new SocketHub(io, live, { tickMs: opts.socketTickMs, peers: adapter !== undefined });
  // Another member's action: this instance's REST answers for it too (validated: it crossed the wire).
  if (adapter)
    io.on("action", (delta) => {
      const parsed = ActionDelta.safeParse(delta);
      if (parsed.success) live.actions.applyRemote(parsed.data);
    });
  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (nextHandlers) void nextHandlers.upgrade(req, socket, head).catch(() => socket.destroy());
    else socket.destroy();
  });
  // Last, so it wraps every listener above (Socket.IO's included): DNS rebinding stops here.
  if (opts.auth) refuseForeignHosts(http, opts.auth.hosts);

  const host = opts.host ?? "0.0.0.0";
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port ?? 3000, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  if (opts.next) {
    nextHandlers = await prepareNext(opts.next, host, port);
    readiness.next = true;
  }

  if (opts.startStack) {
    // Services left running by a previous Vigil are adopted first, so start skips them.
    await withTimeout(engine.ready ?? Promise.resolve(), 10_000, "adopting running services").catch(
      (err: unknown) => log(errorMessage(err)),
    );
    try {
      const handle = engine.run("start", [], { requestedBy: "vigil" });
      void handle.done.catch(() => undefined);
    } catch (err) {
      log(`could not start the stack: ${errorMessage(err)}`);
    }
  }

  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    http,
    io,
    live,
    engine,
    metrics,
    readiness,
    async reload(config, redactConfig) {
      await engine.reload(config);
      currentConfig = config;
      if (pushKey !== undefined) pushByToken = pushTargets(config, pushKey);
      heartbeats.retain((service, check) =>
        [...pushByToken.values()].some((t) => t.service === service && t.check === check),
      );
      if (redactConfig) redact = redactConfig;
      live.setConfig(config);
      opts.alerting?.runtime.reload(config);
      metrics.syncStatuses();
      hub?.resnapshot();
      void live.refreshUptimes(5000);
    },
    close(closeOpts = {}) {
      closing ??= shutdown(closeOpts.stopServices ?? false, closeOpts.timeoutMs ?? 10_000);
      return closing;
    },
  };

  async function shutdown(stopServices: boolean, timeoutMs: number): Promise<void> {
    readiness.engine = false;
    opts.auth?.close();
    hub?.close();
    live.close();
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), timeoutMs, what);
      } catch (err) {
        log(`shutdown: ${what}: ${errorMessage(err)}`);
      }
    };
    await step("closing sockets", () => new Promise<void>((resolve) => void io.close(() => resolve())));
    if (adapter) await step("closing the cluster adapter", () => adapter.close());
    http.closeAllConnections();
    await step("closing the http server", () => new Promise<void>((resolve) => http.close(() => resolve())));
    await step("closing the engine", () => engine.close({ stopServices, timeoutMs }));
    await step("flushing the outbox", () => opts.alerting?.runtime.close(timeoutMs) ?? Promise.resolve());
    await step("flushing history", () => opts.store.flush(timeoutMs));
    await step("closing the store", () => opts.store.close(timeoutMs));
    if (nextHandlers) await step("closing Next", () => nextHandlers?.close() ?? Promise.resolve());
  }
}

/** Answers that are not HTML pages; pages get their nonce CSP from proxy.ts instead. */
const NOT_PAGES = /^\/(api|metrics|healthz|readyz|socket\.io|share|status|badge|report)(\/|$)/;

async function prepareNext(options: NextOptions, hostname: string, port: number): Promise<NextHandlers> {
  // Loaded only when serving pages, so API-only servers (tests) never pay for Next.
  const { default: next } = await import("next");
  const app = next({ dev: options.dev, dir: options.dir, hostname, port });
  await withTimeout(app.prepare(), 120_000, "preparing Next");
  return { request: app.getRequestHandler(), upgrade: app.getUpgradeHandler(), close: () => app.close() };
}

function decodablePath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? "/").split("?")[0] ?? "/");
    return true;
  } catch {
    return false;
  }
}
