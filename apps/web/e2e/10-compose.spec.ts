import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { APIRequestContext, Page } from "@playwright/test";
import { dockerAvailable, dockerCli, dockerQuiet } from "../../../packages/orchestrator/src/testing/docker";
import { expect, test } from "./helpers";
import {
  removeOwnLeftovers,
  servicesNotYet,
  signInAndStartAll,
  startOwnVigil,
  stopServer,
} from "./own-server";

/*
 * A compose project on the board (issue 15): a Vigil of its own (dist/server.js) whose whole
 * config is e2e/fixtures/compose/compose.yaml, running two real busybox containers on the local
 * engine. The board shows the project's services as docker tiles in their x-vigil groups with
 * Docker's own health (the container's HEALTHCHECK) beside Vigil's checks; when Docker's verdict
 * turns unhealthy while Vigil's own check still passes, both are shown as they are; a restart from
 * the browser (confirmation, progress, result) brings Docker's health back. Every container of the
 * run's compose project is removed afterwards, whatever happened. Docker missing: skipped locally,
 * a failure under CI (dockerAvailable throws).
 */

test.describe.configure({ mode: "serial" });

const PORT = Number(process.env.VIGIL_E2E_PORT ?? 3951) + 2200;
const OWN = `http://127.0.0.1:${PORT}`;
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = join(webDir, "dist", "server.js");
const PREFIX = process.env.E2E_PORT_PREFIX ?? "176";
// One project per run: two runs on one machine never touch each other's containers.
const PROJECT = `vigil-e2e-compose-${Date.now().toString(36)}-${process.pid}`;
const ALL = ["web", "api"];
const USER = "compose-admin";
const PASSWORD = `compose-${Math.random().toString(36).slice(2)}-pw`;
const stateDir = join(tmpdir(), `vigil-e2e-compose-${Date.now().toString(36)}-${process.pid}`);
const AUTH = join(stateDir, "auth.json");

test.use({ baseURL: OWN, storageState: AUTH });

let vigil: ChildProcess | undefined;
let api: APIRequestContext | undefined;
const db = `vigil_e2e_compose_${Date.now().toString(36)}_${process.pid}`;
const output: string[] = [];

/** Removes every container of this run's compose project (by compose's own label), gone or not. */
function removeProjectContainers(): void {
  const ids = dockerQuiet("ps", "-aq", "--filter", `label=com.docker.compose.project=${PROJECT}`);
  if (ids !== "") dockerQuiet("rm", "-f", ...ids.split("\n"));
}

/** The container compose's labels say runs `service` in this run's project. */
function containerOf(service: string): string {
  const id = dockerCli(
    "ps",
    "-q",
    "--filter",
    `label=com.docker.compose.project=${PROJECT}`,
    "--filter",
    `label=com.docker.compose.service=${service}`,
  );
  if (id === "" || id.includes("\n"))
    throw new Error(`expected one running container for ${service}, got "${id}"`);
  return id;
}

/** The services of `names` whose status is not `status` yet. */
async function notYet(names: string[], status: string): Promise<string[]> {
  if (!api) throw new Error("no API context");
  return servicesNotYet(api, names, status);
}

const tile = (page: Page, service: string) => page.locator(`[data-testid=tile][data-service="${service}"]`);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Locally without an engine the spec is skipped; under CI dockerAvailable() throws instead.
  test.skip(!dockerAvailable(), "no Docker engine answers (scripts/ensure-docker.sh)");
  if (!existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run "pnpm --filter @vigil/web build" first`);
  mkdirSync(stateDir, { recursive: true });
  ({ server: vigil } = await startOwnVigil({
    port: PORT,
    db,
    output,
    env: {
      VIGIL_CONFIG: join(webDir, "e2e/fixtures/compose/compose.yaml"),
      COMPOSE_PROJECT_NAME: PROJECT,
      VIGIL_STATE_DIR: join(stateDir, "state"),
      VIGIL_STOP_ON_EXIT: "1",
      VIGIL_ADMIN_USER: USER,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
      E2E_PORT_PREFIX: PREFIX,
    },
  }));
  api = await signInAndStartAll({ base: OWN, user: USER, password: PASSWORD, authPath: AUTH });
  await expect.poll(() => notYet(ALL, "healthy"), { timeout: 120_000, intervals: [500, 1000] }).toEqual([]);
});

test.afterAll(async () => {
  const info = test.info();
  info.attach("vigil-output", { body: output.join(""), contentType: "text/plain" });
  await api?.dispose();
  try {
    await stopServer(vigil, 20_000);
  } finally {
    // Whatever Vigil managed on its way out: none of the run's containers may stay behind.
    removeProjectContainers();
    removeOwnLeftovers(db, stateDir);
  }
});

test("the board shows the compose project's containers with Docker's own health beside Vigil's checks", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await expect(page.getByRole("heading", { name: `Service board for ${PROJECT}` })).toBeAttached();
  // The x-vigil groups, docker tiles, and `api` a wave after `web` (depends_on: service_healthy).
  await expect(page.locator('[data-testid=group][data-group="front"]')).toContainText("web");
  await expect(page.locator('[data-testid=group][data-group="core"]')).toContainText("api");
  await expect(tile(page, "web")).toContainText("docker · wave 1");
  await expect(tile(page, "api")).toContainText("docker · wave 2");
  for (const s of ALL) {
    await expect(tile(page, s)).toHaveAttribute("data-status", "healthy");
    const badge = tile(page, s).getByTestId("docker-health");
    await expect(badge).toHaveText("docker health: healthy", { timeout: 30_000 });
    // Words and an icon, never colour alone.
    await expect(badge.locator("svg")).toHaveCount(1);
  }
  // The containers are compose's: `docker compose ps` would list them under the project.
  expect(dockerCli("inspect", "-f", "{{.State.Health.Status}}", containerOf("web"))).toBe("healthy");

  await page.goto("/services/web");
  const docker = page.locator('[data-testid=check][data-check="docker"]');
  const index = page.locator('[data-testid=check][data-check="index"]');
  await expect(docker.getByTestId("docker-health")).toHaveText("docker health: healthy", { timeout: 30_000 });
  await expect(index).toContainText("http");
  // Vigil's own http check carries no Docker verdict: the badge sits on the docker check only.
  await expect(index.getByTestId("docker-health")).toHaveCount(0);
});

test("Docker's healthcheck failing shows 'docker health: unhealthy' beside Vigil's passing check; a browser restart brings it back", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const before = containerOf("web");
  // Docker's HEALTHCHECK reads /health; Vigil's own check reads /, which still answers.
  // (The image has busybox applets only through its shell: no /bin/rm of its own.)
  dockerCli("exec", before, "sh", "-c", "rm /www/health");
  await page.goto("/services/web");
  const docker = page.locator('[data-testid=check][data-check="docker"]');
  const index = page.locator('[data-testid=check][data-check="index"]');
  await expect(docker.getByTestId("docker-health")).toHaveText("docker health: unhealthy", {
    timeout: 45_000,
  });
  await expect(docker.getByTestId("docker-health")).toHaveAttribute("data-health", "unhealthy");
  await expect(docker).toContainText("container health: unhealthy");
  await expect(index.locator('[data-status="healthy"]')).toContainText("healthy");

  await page.getByTestId("service-header").getByRole("button", { name: "Restart web" }).click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toContainText("Restart web?");
  // `api` waits on web's health (service_healthy): the dialog names it.
  await expect(dialog).toContainText(/also affects: .*api/i);
  await dialog.getByTestId("confirm-action").click();

  const card = page.getByTestId("action-dock").getByTestId("action-card").first();
  await expect(card).toContainText("Restart web");
  await expect(card.getByTestId("timeline").locator('[data-service="web"]')).toBeVisible();
  await expect(card).toHaveAttribute("data-result", "succeeded", { timeout: 90_000 });
  await expect(card.getByTestId("action-result")).toBeVisible();

  await expect(docker.getByTestId("docker-health")).toHaveText("docker health: healthy", { timeout: 45_000 });
  await expect(page.getByTestId("service-header")).toHaveAttribute("data-status", "healthy", {
    timeout: 30_000,
  });
  // The restart ran the container's command again, so /health is back: Docker agrees.
  expect(dockerCli("inspect", "-f", "{{.State.Health.Status}}", containerOf("web"))).toBe("healthy");
  await page.goto("/");
  for (const s of ALL) {
    await expect(tile(page, s)).toHaveAttribute("data-status", "healthy", { timeout: 30_000 });
    await expect(tile(page, s).getByTestId("docker-health")).toHaveText("docker health: healthy");
  }
});
