import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "./helpers";
import { startOwnVigil, stopServer } from "./own-server";

/*
 * A scheduled job on its own Vigil (dist/server.js, its own config and database): the operator
 * presses "Run now" on the job's page, sees it running, then its result, and the run lands in the
 * history table with its exit code, trigger and output; a failing job's run says why.
 */

const PORT = Number(process.env.VIGIL_E2E_PORT ?? 3951) + 2300;
const OWN = `http://127.0.0.1:${PORT}`;
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = join(webDir, "dist", "server.js");

test.use({ baseURL: OWN, storageState: { cookies: [], origins: [] } });

let vigil: ChildProcess | undefined;
let stateDir: string | undefined;
const db = `vigil_e2e_jobs_${Date.now().toString(36)}_${process.pid}`;
const output: string[] = [];
const USER = "jobs-admin";
const PASSWORD = `jobs-${Math.random().toString(36).slice(2)}-pw`;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  if (!existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run "pnpm --filter @vigil/web build" first`);
  stateDir = mkdtempSync(join(tmpdir(), "vigil-e2e-jobs-"));
  const config = join(stateDir, "vigil.yaml");
  writeFileSync(
    config,
    [
      "version: 1",
      "project: vigil-e2e-jobs",
      "services:",
      "  nightly-backup:",
      "    kind: job",
      "    description: A backup that takes a moment",
      '    command: "echo dumping; sleep 2; echo dumped 42 rows"',
      '    schedule: "0 3 * * *"',
      "    timezone: Europe/Berlin",
      "  broken-report:",
      "    kind: job",
      '    command: "echo no such table >&2; exit 3"',
      '    schedule: "0 4 * * *"',
      "",
    ].join("\n"),
  );
  ({ server: vigil } = await startOwnVigil({
    port: PORT,
    db,
    output,
    env: {
      VIGIL_CONFIG: config,
      VIGIL_STATE_DIR: join(stateDir, "state"),
      VIGIL_ANONYMOUS_READ: "1",
      VIGIL_ADMIN_USER: USER,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
    },
  }));
});

test.afterAll(async () => {
  await stopServer(vigil, 20_000);
  try {
    execFileSync(process.execPath, ["e2e/db.mjs", "drop", db], { cwd: webDir, stdio: "pipe" });
  } catch {
    // best effort: a leftover vigil_e2e_jobs_* database is harmless
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function signIn(page: import("@playwright/test").Page): Promise<void> {
  const session = (await (await page.request.get("/api/auth/session")).json()) as { csrfToken: string };
  const login = await page.request.post("/api/auth/login", {
    data: { username: USER, password: PASSWORD },
    headers: { "x-csrf-token": session.csrfToken, origin: OWN },
  });
  expect(login.ok()).toBe(true);
}

test("Run now shows the run in progress, then its result, and the history and tile record it", async ({
  page,
}, info) => {
  await signIn(page);
  await page.goto("/services/nightly-backup");
  const panel = page.getByRole("region", { name: "Job runs" });
  await expect(panel).toContainText("No runs yet.");
  await panel.getByRole("button", { name: "Run now" }).click();
  const progress = page.getByTestId("job-progress");
  await expect(progress).toContainText("Running…");
  await expect(progress).toContainText("succeeded (exit code 0)", { timeout: 20_000 });
  const history = page.getByRole("table", { name: "Run history" });
  const row = history.locator("tbody tr").first();
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText(USER);
  await expect(row).toContainText("dumped 42 rows");
  await expect(page.getByRole("figure", { name: "Run durations" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("job-page.png") });

  await page.goto("/");
  const tile = page.locator('[data-testid=tile][data-service="nightly-backup"]');
  await expect(tile).toHaveAttribute("data-status", "healthy", { timeout: 20_000 });
  await expect(tile.getByTestId("tile-job")).toContainText("succeeded");
  info.attach("vigil-output", { body: output.join(""), contentType: "text/plain" });
});

test("a failing job's run says why, and the job turns unhealthy", async ({ page }) => {
  await signIn(page);
  await page.goto("/services/broken-report");
  const panel = page.getByRole("region", { name: "Job runs" });
  await panel.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByTestId("job-progress")).toContainText("failed (exit code 3): exit code 3", {
    timeout: 20_000,
  });
  await expect(page.getByRole("table", { name: "Run history" }).locator("tbody tr").first()).toContainText(
    "no such table",
  );
  await page.goto("/");
  await expect(page.locator('[data-testid=tile][data-service="broken-report"]')).toHaveAttribute(
    "data-status",
    "unhealthy",
    { timeout: 20_000 },
  );
});
