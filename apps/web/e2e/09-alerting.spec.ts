import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./helpers";
import {
  removeOwnLeftovers,
  servicesNotYet,
  signInAndStartAll,
  startOwnVigil,
  stopServer,
} from "./own-server";

/*
 * Alerting end to end (issue 12, FAULT_MATRIX A7–A8): a Vigil of its own (dist/server.js with
 * e2e/fixtures/alerting.yaml) supervises real processes — `queue` and three services that depend
 * on it — and notifies a real webhook receiver in this process. Killing `queue` (SIGKILL) sends
 * exactly one alert naming it and listing the blocked services; acknowledging it in the browser
 * stops the 3 s reminders; starting it again from the browser sends exactly one resolve; silenced
 * from the service page (maintenance), killing it again sends nothing and the board says
 * "maintenance". Waits poll with generous bounds: the machine may be busy with other runs.
 */

test.describe.configure({ mode: "serial" });

const PORT = Number(process.env.VIGIL_E2E_PORT ?? 3951) + 2100;
const OWN = `http://127.0.0.1:${PORT}`;
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = join(webDir, "dist", "server.js");
const PREFIX = process.env.E2E_PORT_PREFIX ?? "176";
const QUEUE_PORT = Number(`${PREFIX}81`);
const DEPENDENTS = ["billing", "mailer", "orders"];
const ALL = ["queue", ...DEPENDENTS];
const USER = "alert-admin";
const PASSWORD = `alert-${Math.random().toString(36).slice(2)}-pw`;
// Named here (test.use needs AUTH's path), made in beforeAll: Playwright also loads this file in
// its main process, which must not leave a directory behind.
const stateDir = join(tmpdir(), `vigil-e2e-alerting-${Date.now().toString(36)}-${process.pid}`);
const AUTH = join(stateDir, "auth.json");
/** Three reminder periods and a margin: long enough that a reminder would have come. */
const QUIET_MS = 10_000;

test.use({ baseURL: OWN, storageState: AUTH });

interface Received {
  event: string;
  title: string;
  incidentKey: string;
  rootCause: { service: string };
  affected: string[];
}

const received: Received[] = [];
const events = (event: string) => received.filter((n) => n.event === event);
let receiver: Server | undefined;
let vigil: ChildProcess | undefined;
let api: APIRequestContext | undefined;
const db = `vigil_e2e_alert_${Date.now().toString(36)}_${process.pid}`;
const output: string[] = [];

async function killQueue(): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${QUEUE_PORT}/pid`, { signal: AbortSignal.timeout(5000) });
  const { pid } = (await res.json()) as { pid: number };
  process.kill(pid, "SIGKILL");
}

/** The services of `names` whose status is not `status` yet. */
async function notYet(names: string[], status: string): Promise<string[]> {
  if (!api) throw new Error("no API context");
  return servicesNotYet(api, names, status);
}

const tile = (page: Page, service: string) => page.locator(`[data-testid=tile][data-service="${service}"]`);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  if (!existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run "pnpm --filter @vigil/web build" first`);
  mkdirSync(stateDir, { recursive: true });
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push(JSON.parse(body) as Received);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  const hookPort = (receiver.address() as AddressInfo).port;

  ({ server: vigil } = await startOwnVigil({
    port: PORT,
    db,
    output,
    env: {
      VIGIL_CONFIG: join(webDir, "e2e/fixtures/alerting.yaml"),
      VIGIL_STATE_DIR: join(stateDir, "state"),
      VIGIL_STOP_ON_EXIT: "1",
      VIGIL_ADMIN_USER: USER,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
      E2E_PORT_PREFIX: PREFIX,
      VIGIL_E2E_PUBLIC_URL: OWN,
      VIGIL_E2E_HOOK_URL: `http://127.0.0.1:${hookPort}/hook`,
    },
  }));
  api = await signInAndStartAll({ base: OWN, user: USER, password: PASSWORD, authPath: AUTH });
  await expect.poll(() => notYet(ALL, "healthy"), { timeout: 90_000, intervals: [500, 1000] }).toEqual([]);
});

test.afterAll(async () => {
  const info = test.info();
  info.attach("vigil-output", { body: output.join(""), contentType: "text/plain" });
  info.attach("notifications", { body: JSON.stringify(received, null, 2), contentType: "application/json" });
  await api?.dispose();
  await stopServer(vigil, 20_000);
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  removeOwnLeftovers(db, stateDir);
});

test("killing the dependency sends ONE alert naming it and listing the blocked; acknowledging in the browser stops reminders", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await expect(tile(page, "queue")).toHaveAttribute("data-status", "healthy", { timeout: 30_000 });
  expect(received).toEqual([]);

  await killQueue();
  await expect(tile(page, "queue")).toHaveAttribute("data-status", "unhealthy", { timeout: 30_000 });
  for (const s of DEPENDENTS) {
    await expect(tile(page, s)).toHaveAttribute("data-status", "blocked", { timeout: 30_000 });
  }
  await expect.poll(() => events("trigger").length, { timeout: 30_000 }).toBeGreaterThan(0);
  const trigger = events("trigger")[0];
  expect(trigger).toMatchObject({ rootCause: { service: "queue" }, affected: DEPENDENTS });
  expect(trigger?.title).toBe("queue is unhealthy (blocks 3 services)");
  // A reminder proves time passed with the outage on: still one trigger, and none for a dependent.
  await expect.poll(() => events("reminder").length, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(events("trigger")).toHaveLength(1);
  expect(new Set(received.map((n) => n.rootCause.service))).toEqual(new Set(["queue"]));

  await page.goto("/alerts");
  const incident = page.getByTestId("incident-list").locator("li", { hasText: "queue is unhealthy" });
  await expect(incident).toContainText("affects billing, mailer, orders");
  await incident.getByRole("button", { name: "Acknowledge" }).click();
  await expect(incident).toContainText(`acknowledged by ${USER}`, { timeout: 20_000 });
  await expect.poll(() => events("acknowledge").length, { timeout: 30_000 }).toBe(1);
  // Deliveries are in order per incident: a reminder decided before the acknowledgement arrived
  // before it. From here on the count must stay flat for three reminder periods and more.
  const reminders = events("reminder").length;
  await page.waitForTimeout(QUIET_MS);
  expect(events("reminder")).toHaveLength(reminders);
  expect(events("trigger")).toHaveLength(1);
});

test("starting the dependency again from the browser sends exactly ONE resolve", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/services/queue");
  await page.getByTestId("service-header").getByRole("button", { name: "Start queue", exact: true }).click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("confirm-action").click();
  await expect(page.getByTestId("service-header")).toHaveAttribute("data-status", "healthy", {
    timeout: 60_000,
  });
  await expect.poll(() => events("resolve").length, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(events("resolve")[0]).toMatchObject({ rootCause: { service: "queue" } });
  await expect.poll(() => notYet(ALL, "healthy"), { timeout: 60_000 }).toEqual([]);
  // Everything is back: no second resolve and no new trigger follows.
  await page.waitForTimeout(QUIET_MS / 2);
  expect(events("resolve")).toHaveLength(1);
  expect(events("trigger")).toHaveLength(1);
  await page.goto("/alerts?state=open");
  await expect(page.getByTestId("incident-list")).toContainText("No open incidents.", { timeout: 20_000 });
});

test("inside a maintenance window (silenced from the service page) nothing is sent and the board shows maintenance", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/services/queue");
  await page.getByTestId("silence-1h").click();
  await expect(page.getByText(/silenced until/)).toBeVisible({ timeout: 20_000 });
  // The service page says it too: its own colour, wrench icon and word beside the status.
  const header = page.getByTestId("service-header");
  await expect(header).toHaveAttribute("data-maintenance", "true", { timeout: 20_000 });
  await expect(header.getByTestId("maintenance-badge")).toHaveText("maintenance");

  await page.goto("/");
  const banner = page.getByTestId("maintenance-banner");
  await expect(banner).toContainText("maintenance", { timeout: 40_000 });
  await expect(banner).toContainText("queue");
  await expect(tile(page, "queue")).toHaveAttribute("data-maintenance", "true");
  await expect(tile(page, "queue").getByTestId("maintenance-badge")).toHaveText("maintenance");
  // Only the silenced service: its dependents are not in maintenance.
  for (const s of DEPENDENTS) await expect(tile(page, s).getByTestId("maintenance-badge")).toHaveCount(0);

  const before = received.length;
  await killQueue();
  await expect(tile(page, "queue")).toHaveAttribute("data-status", "unhealthy", { timeout: 30_000 });
  for (const s of DEPENDENTS) {
    await expect(tile(page, s)).toHaveAttribute("data-status", "blocked", { timeout: 30_000 });
  }
  // The outage is seen (tiles above); a notification would come within a reminder period or two.
  await page.waitForTimeout(QUIET_MS);
  expect(received.slice(before)).toEqual([]);
});
