import { basename, dirname, join, relative, resolve } from "node:path";
import { createClusterBus } from "@vigil/db";
import { realEngine } from "./server/adapters/engine.ts";
import { createAlerting, resumeOutbox } from "./server/alerting/compose.ts";
import { createVigilServer, type VigilServer } from "./server/app.ts";
import { errorMessage } from "./server/async.ts";
import { type Auth, createAuth } from "./server/auth/index.ts";
import { registerClusterMetrics } from "./server/cluster/metrics.ts";
import { ClusterNode } from "./server/cluster/node.ts";
import { SharedProbing } from "./server/cluster/probing.ts";
import { clusterSeam } from "./server/cluster/seam.ts";
import { hookEndpoint } from "./server/control/hook-endpoint.ts";
import { hookRoutes } from "./server/control/hook-routes.ts";
import { DeployHooks } from "./server/control/hooks.ts";
import { LocalCredential } from "./server/control/local-credential.ts";
import { parseServerEnv, type ServerEnv } from "./server/env.ts";
import { type LoadedVigilConfig, loadChosenConfig } from "./server/startup/config.ts";
import { openDatabase } from "./server/startup/database.ts";
import { chooseConfig, findRepoRoot } from "./server/startup/paths.ts";
import { serverKey } from "./server/startup/server-key.ts";
import { watchConfigFiles } from "./server/startup/watch.ts";

/*
 * Vigil's one process: config → database → history store → engine → HTTP (REST, /metrics,
 * Socket.IO, Next). The only module with process-wide state: signals, watchers, the server.
 */

// Every line passes the current config's redactor once a config is loaded (secrets never reach logs).
let redactNow: (text: string) => string = (text) => text;
const log = (line: string) => console.log(`[vigil] ${redactNow(line)}`);
const cwd = process.cwd();
const here = import.meta.dirname;
// Run as `tsx server.ts` (here = apps/web) or bundled as dist/server.js (here = apps/web/dist).
const webDir = basename(here) === "dist" ? dirname(here) : here;
const repoRoot = findRepoRoot(webDir) ?? findRepoRoot(cwd) ?? cwd;

// A probe or a service misbehaving must never take the dashboard down with it.
process.on("unhandledRejection", (reason) => log(`unhandled rejection (kept running): ${errorText(reason)}`));

async function main(): Promise<void> {
  let env: ServerEnv;
  try {
    env = parseServerEnv(process.env);
  } catch (err) {
    console.error(`[vigil] ${errorMessage(err)}`);
    process.exit(1);
  }
  const choice = chooseConfig({ argv: process.argv.slice(2), environ: process.env, cwd, repoRoot });
  const rel = relative(cwd, choice.path);
  const shown = rel === "" || rel.startsWith("..") ? choice.path : rel;
  log(
    choice.source === "demo"
      ? `config: ${shown} — the demo stack (no --config, VIGIL_CONFIG or ./vigil.yaml found)`
      : `config: ${shown} (from ${choice.source})${choice.env ? ` with overlay "${choice.env}"` : ""}`,
  );
  let loaded: LoadedVigilConfig;
  try {
    loaded = await loadChosenConfig(choice, cwd, env.cluster !== null);
  } catch (err) {
    console.error(errorMessage(err));
    process.exit(1);
  }
  redactNow = (text) => loaded.redact(text);

  const database = await openDatabase({
    databaseUrl: env.databaseUrl,
    dataDir: env.pgdata ? resolve(cwd, env.pgdata) : join(repoRoot, ".vigil", "pgdata"),
    migrationsDir: join(repoRoot, "prisma", "migrations"),
    closeInterrupted: env.cluster === null,
    // The Postgres Socket.IO adapter keeps one connection LISTENing.
    heldConnections: env.cluster && !env.cluster.redisUrl ? 1 : 0,
    retention: {
      rawMaxAgeMs: loaded.config.settings.retention_raw,
      rollupMaxAgeMs: loaded.config.settings.retention_rollups,
    },
    log,
  });

  // The local CLI's credential: published with the URL once the server listens (server.json).
  const local = new LocalCredential();
  let auth: Auth;
  try {
    auth = await createAuth({
      sql: database.sql,
      settings: env.auth,
      bearers: [(token) => local.principal(token)],
      log,
      redact: (text) => loaded.redact(text),
      services: () => Object.keys(loaded.config.services),
    });
  } catch (err) {
    console.error(`[vigil] could not set up sign-in: ${redactNow(errorText(err))}`);
    await database.close(5000);
    process.exit(1);
  }

  const pushKey = await serverKey(database.sql, env.auth.secret, "push");
  // Cluster mode: leader-only duties (policy restarts, scheduled jobs, alert sending) are claimed
  // through the leader lease; the outbox is resumed by whichever instance becomes the leader.
  // Probing is shared: each instance runs its members' share of the checks (cluster/probing.ts).
  let probing: SharedProbing | undefined;
  /** The node a process service names (`node:`): only that instance runs, probes and acts on it. */
  const pinnedNode = (service: string): string | undefined => {
    const svc = loaded.config.services[service];
    return svc?.kind === "process" ? svc.node : undefined;
  };
  const cluster = env.cluster
    ? new ClusterNode({
        pool: database.sql,
        nodeName: env.cluster.nodeName,
        log,
        onRole: (leader) => {
          if (leader) resumeOutbox(alerting.runtime, log);
        },
        onMembers: () => probing?.rebalance(),
      })
    : null;
  const databaseUrl = env.databaseUrl;
  if (cluster && databaseUrl) {
    const node = cluster;
    probing = new SharedProbing({
      node,
      bus: (receive) =>
        createClusterBus({
          url: databaseUrl,
          pool: database.sql,
          channel: "vigil_cluster",
          sender: node.id,
          receive,
          log,
        }),
      // A process service is probed where it runs: on its `node:`, else on the leader, whose
      // engine starts it (actions on it are forwarded there; cluster/owner.ts).
      pinnedOwner: (service) =>
        loaded.config.services[service]?.kind === "process"
          ? (pinnedNode(service) ?? node.leaderMember?.nodeName)
          : undefined,
      log,
    });
  }
  const alerting = createAlerting({
    sql: database.sql,
    config: () => loaded.config,
    redact: (text) => loaded.redact(text),
    log,
    ...(cluster ? { authorize: (key: string) => cluster.claim("alert", key), resumeNow: false } : {}),
  });

  const seam = cluster
    ? clusterSeam({
        // Actions on a process service go to the node it names; the rest to the leader.
        self: {
          id: cluster.id,
          nodeName: cluster.nodeName,
          get leaderMember() {
            return cluster.leaderMember;
          },
          get members() {
            return cluster.members;
          },
          nodeOf: pinnedNode,
        },
        pool: database.sql,
        redisUrl: env.cluster?.redisUrl,
        key: await serverKey(database.sql, env.auth.secret, "cluster"),
        log,
      })
    : undefined;
  const server: VigilServer = await createVigilServer({
    config: loaded.config,
    redactConfig: loaded.redactConfig,
    redact: (text) => loaded.redact(text),
    auth,
    engine: realEngine,
    store: database.store,
    jobRuns: database.jobRuns,
    storeBackup: (out) => database.backup(out),
    // Same place the `vigil` CLI uses, so both see (and adopt) the same running services.
    stateDir: choice.stateDir,
    host: env.host,
    port: env.port,
    next: env.noUi ? false : { dev: env.dev, dir: webDir },
    startStack: choice.source === "demo",
    control: (live) => {
      const hooks = new DeployHooks(database.sql);
      return {
        routes: hookRoutes(hooks, live, env.auth.trustProxy),
        handle: hookEndpoint({
          hooks,
          live,
          audit: auth.audit,
          proxyHops: env.auth.proxyHops,
          routing: seam?.routing,
        }),
      };
    },
    pushKey,
    statusPages: { sql: database.sql, perMinute: env.publicRateLimit },
    alerting,
    ...(cluster ? { authority: cluster.authority(), localNode: cluster.nodeName } : {}),
    ...(probing ? { probing } : {}),
    ...(seam ? { cluster: seam } : {}),
    log,
  });
  log(`Vigil ready on ${server.url}`);
  const wildcard = env.host === "0.0.0.0" || env.host === "::";
  if (cluster) {
    registerClusterMetrics(server.metrics.registry, cluster);
    await cluster.start(env.auth.internalUrl ?? (wildcard ? `http://127.0.0.1:${server.port}` : server.url));
    log(`cluster: node ${cluster.nodeName} (${cluster.id}) joined; ${cluster.members.length} live member(s)`);
  }
  await local
    .publish(choice.stateDir, {
      url: wildcard ? `http://127.0.0.1:${server.port}` : server.url,
      config: choice.path,
    })
    .catch((err: unknown) =>
      log(`could not record the server for the CLI (${errorText(err)}); vigil runs standalone`),
    );
  // Only while no user exists: the one-time link that creates the first admin.
  const setupUrl = auth.setupUrl(server.url);
  if (setupUrl) log(`Vigil setup: open ${setupUrl}`);

  let reloading = Promise.resolve();
  const reload = (why: string) => {
    reloading = reloading.then(async () => {
      try {
        const next = await loadChosenConfig(choice, cwd, env.cluster !== null);
        await server.reload(next.config, next.redactConfig);
        loaded = next;
        stopWatching();
        stopWatching = watchConfigFiles(loaded.files, () => reload("file changed"), { log });
        log(`config reloaded (${why}): ${Object.keys(next.config.services).length} services`);
      } catch (err) {
        log(`config not reloaded (${why}); the previous config keeps running:\n${errorMessage(err)}`);
      }
    });
  };
  let stopWatching = watchConfigFiles(loaded.files, () => reload("file changed"), { log });
  process.on("SIGHUP", () => reload("SIGHUP"));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    // A second signal during shutdown means "now".
    process.once(signal as NodeJS.Signals, () => process.exit(1));
    stopWatching();
    const stopServices = env.stopOnExit;
    await local.withdraw(choice.stateDir).catch(() => undefined);
    // First, so the others take the lease over while this one drains.
    await cluster?.close();
    // Keep probing (and publishing) for a heartbeat and a margin after leaving: the others notice
    // the leave at their next heartbeat and take this one's checks over, so a rolling restart
    // leaves no hole in any check's history (a second of overlap, never a gap).
    if (cluster) await new Promise((resolve) => setTimeout(resolve, cluster.timing.heartbeatMs + 1000));
    await probing?.close();
    await server.close({ stopServices, timeoutMs: stopServices ? 30_000 : 5000 });
    await database.close(5000);
    log("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

main().catch((err: unknown) => {
  console.error(`[vigil] could not start: ${redactNow(errorText(err))}`);
  process.exit(1);
});
