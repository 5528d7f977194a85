import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/chromium";

/*
 * E2E against a real Vigil: `node dist/server.js` (built by `pnpm --filter @vigil/web e2e`, which
 * runs the build first) on a fresh throwaway Postgres database, supervising the real processes of
 * e2e/fixtures/vigil.yaml. One worker: the tests share that one real stack and run in file order.
 * The soak project (e2e/soak) runs a second server of its own for ten minutes; `pnpm test` runs it
 * on its own (VIGIL_E2E_SOAK_ONLY=1) beside the unit tests, so it needs neither the shared stack
 * nor its signed-in admin, and the suite does not wait ten minutes for it at the end.
 */

const webDir = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = CHROMIUM_PATH;
if (!existsSync(CHROMIUM)) {
  const why = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium; never "playwright install")`;
  // In CI a missing browser is a failure, never a silent skip.
  if (process.env.CI) throw new Error(why);
  console.warn(`[e2e] ${why}: the tests will be skipped`);
}

const SOAK_ONLY = process.env.VIGIL_E2E_SOAK_ONLY === "1";
const PORT = Number(process.env.VIGIL_E2E_PORT ?? 3951);
// The fixture stacks' ports follow Vigil's, so two e2e runs on one machine (VIGIL_E2E_PORT
// differing by less than 50) never probe each other's services: each run gets two hundreds of its
// own between 10000 and 19999, below Linux's ephemeral range (3951 → 17651+, the soak's 17751+).
const block = (((PORT - 3951) % 50) + 50 + 38) % 50;
process.env.E2E_PORT_PREFIX ??= String(100 + 2 * block);
process.env.SOAK_PORT_PREFIX ??= String(101 + 2 * block);
// The soak's own Vigil: clear of the e2e servers' 39xx ports.
process.env.VIGIL_SOAK_PORT ??= String(PORT + 1000);
const BASE = `http://127.0.0.1:${PORT}`;
// Chosen once in the main process; workers inherit the environment, so all agree on the name.
process.env.VIGIL_E2E_DB ??= `vigil_e2e_${Date.now().toString(36)}_${process.pid}`;
const DB = process.env.VIGIL_E2E_DB;
const PG = process.env.VIGIL_E2E_PG ?? "postgres://postgres@127.0.0.1:5432";
// The first admin of the throwaway database, created at boot (VIGIL_ADMIN_USER/_PASSWORD).
process.env.VIGIL_E2E_USER ??= "e2e-admin";
process.env.VIGIL_E2E_PASSWORD ??= `e2e-${Math.random().toString(36).slice(2)}-pw`;
/** Signed-in browser state written by global-setup.ts, used by every test. */
export const STORAGE_STATE = join(webDir, "test-results", ".auth", "admin.json");

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  ...(SOAK_ONLY ? {} : { globalSetup: "./e2e/global-setup.ts", globalTeardown: "./e2e/global-teardown.ts" }),
  use: {
    baseURL: BASE,
    storageState: STORAGE_STATE,
    browserName: "chromium",
    timezoneId: "Europe/Berlin",
    locale: "en-GB",
    viewport: { width: 1400, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    // The dashboard specs, in file order against the one shared stack.
    { name: "board", testMatch: /\/\d\d-[^/]+\.spec\.ts$/ },
    // Fault-matrix row 18: ten minutes against a Vigil of its own. It counts descriptors and probe
    // runs, not milliseconds, so it may share the machine with the unit tests; not with the board
    // specs, whose waits it would slow.
    { name: "soak", testMatch: /\/soak\/[^/]+\.spec\.ts$/ },
  ],
  webServer: SOAK_ONLY
    ? []
    : {
        // Playwright starts webServer before globalSetup (runner: plugin setup tasks come first), so
        // the throwaway database is created right before the server starts; globalTeardown drops it.
        command: `node e2e/db.mjs create ${DB} && exec node dist/server.js`,
        cwd: webDir,
        url: `${BASE}/readyz`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: "pipe",
        stderr: "pipe",
        gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
        env: {
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          PORT: String(PORT),
          DATABASE_URL: `${PG}/${DB}`,
          VIGIL_CONFIG: join(webDir, "e2e/fixtures/vigil.yaml"),
          VIGIL_STOP_ON_EXIT: "1",
          E2E_PORT_PREFIX: process.env.E2E_PORT_PREFIX,
          VIGIL_ADMIN_USER: process.env.VIGIL_E2E_USER,
          VIGIL_ADMIN_PASSWORD: process.env.VIGIL_E2E_PASSWORD,
        },
      },
});
