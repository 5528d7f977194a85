import { basename, dirname, join, relative, resolve } from "node:path";
import { realEngine } from "./server/adapters/engine.ts";
import { createVigilServer, type VigilServer } from "./server/app.ts";
import { errorMessage } from "./server/async.ts";
import { type Auth, createAuth } from "./server/auth/index.ts";
import { type LoadedVigilConfig, loadChosenConfig } from "./server/startup/config.ts";
import { openDatabase } from "./server/startup/database.ts";
import { chooseConfig, findRepoRoot } from "./server/startup/paths.ts";
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
    loaded = await loadChosenConfig(choice, cwd);
  } catch (err) {
    console.error(errorMessage(err));
    process.exit(1);
  }
  redactNow = (text) => loaded.redact(text);

  const database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: join(repoRoot, ".vigil", "pgdata"),
    migrationsDir: join(repoRoot, "prisma", "migrations"),
    retention: {
      rawMaxAgeMs: loaded.config.settings.retention_raw,
      rollupMaxAgeMs: loaded.config.settings.retention_rollups,
    },
    log,
  });

  let auth: Auth;
  try {
    auth = await createAuth({
      sql: database.sql,
      env: process.env,
      log,
      redact: (text) => loaded.redact(text),
      services: () => Object.keys(loaded.config.services),
    });
  } catch (err) {
    console.error(`[vigil] could not set up sign-in: ${redactNow(errorText(err))}`);
    await database.close(5000);
    process.exit(1);
  }

  const server: VigilServer = await createVigilServer({
    config: loaded.config,
    redactConfig: loaded.redactConfig,
    redact: (text) => loaded.redact(text),
    auth,
    engine: realEngine,
    store: database.store,
    // Same place the `vigil` CLI uses, so both see (and adopt) the same running services.
    stateDir: process.env.VIGIL_STATE_DIR
      ? resolve(cwd, process.env.VIGIL_STATE_DIR)
      : join(dirname(choice.path), ".vigil", "state"),
    host: process.env.HOST ?? "0.0.0.0",
    port: Number(process.env.PORT ?? 3000),
    next: { dev: process.env.NODE_ENV !== "production", dir: webDir },
    startStack: choice.source === "demo",
    log,
  });
  log(`Vigil ready on ${server.url}`);
  // Only while no user exists: the one-time link that creates the first admin.
  const setupUrl = auth.setupUrl(server.url);
  if (setupUrl) log(`Vigil setup: open ${setupUrl}`);

  let reloading = Promise.resolve();
  const reload = (why: string) => {
    reloading = reloading.then(async () => {
      try {
        const next = await loadChosenConfig(choice, cwd);
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
    const stopServices = process.env.VIGIL_STOP_ON_EXIT === "1";
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
