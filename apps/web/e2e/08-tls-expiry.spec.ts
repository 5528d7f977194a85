import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createServer, type Server } from "node:tls";
import { fileURLToPath } from "node:url";
import { createTestCa, type TestCa } from "../../../packages/orchestrator/src/testing/certs";
import { expect, test } from "./helpers";
import { startOwnVigil, stopServer } from "./own-server";

/*
 * A TLS endpoint whose certificate is replaced by one expiring in 3 days turns its tile on the
 * board from healthy to degraded, with the days in the tile's text. The certificates come from a
 * throwaway CA made with openssl; the endpoint is a real TLS server in this process, and the
 * Vigil is the built server (dist/server.js) with a config of its own, so the shared e2e stack
 * is not touched. Anonymous read: the board needs no sign-in; the push test signs in as its admin.
 */

const PORT = Number(process.env.VIGIL_E2E_PORT ?? 3951) + 2000;
const OWN = `http://127.0.0.1:${PORT}`;
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = join(webDir, "dist", "server.js");

test.use({ baseURL: OWN, storageState: { cookies: [], origins: [] } });

let ca: TestCa | undefined;
let endpoint: Server | undefined;
let vigil: ChildProcess | undefined;
let stateDir: string | undefined;
const db = `vigil_e2e_tls_${Date.now().toString(36)}_${process.pid}`;
const output: string[] = [];
const USER = "tls-admin";
const PASSWORD = `tls-${Math.random().toString(36).slice(2)}-pw`;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  if (!existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run "pnpm --filter @vigil/web build" first`);
  ca = await createTestCa();
  endpoint = createServer(await ca.issue(["localhost"], { from: -1, to: 90 }));
  endpoint.on("secureConnection", (socket) => socket.end());
  endpoint.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => endpoint?.listen(0, "127.0.0.1", resolve));
  const port = (endpoint.address() as AddressInfo).port;

  stateDir = mkdtempSync(join(tmpdir(), "vigil-e2e-tls-"));
  const config = join(stateDir, "vigil.yaml");
  writeFileSync(
    config,
    [
      "version: 1",
      "project: vigil-e2e-tls",
      "services:",
      "  edge-tls:",
      "    kind: external",
      "    description: A TLS endpoint whose certificate the test swaps",
      "    checks:",
      "      - kind: tls",
      "        name: certificate",
      "        host: 127.0.0.1",
      `        port: ${port}`,
      "        servername: localhost",
      `        ca_file: ${ca.caFile}`,
      "        interval: 1s",
      "        failure_threshold: 1",
      "  nightly-job:",
      "    kind: external",
      "    checks:",
      "      - kind: push",
      "        name: backup",
      "        period: 1h",
      "        interval: 1s",
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
  await new Promise<void>((resolve) => (endpoint ? endpoint.close(() => resolve()) : resolve()));
  await ca?.close();
  try {
    execFileSync(process.execPath, ["e2e/db.mjs", "drop", db], { cwd: webDir, stdio: "pipe" });
  } catch {
    // best effort: a leftover vigil_e2e_tls_* database is harmless
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test("a certificate expiring in 3 days turns the TLS tile degraded, with the days shown", async ({
  page,
}, info) => {
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  const tile = page.locator('[data-testid=tile][data-service="edge-tls"]');
  await expect(tile).toHaveAttribute("data-status", "healthy", { timeout: 20_000 });

  // What an operator sees the day a renewal failed: the endpoint now serves a short-lived certificate.
  if (!ca || !endpoint) throw new Error("the TLS endpoint did not start");
  endpoint.setSecureContext(await ca.issue(["localhost"], { from: -87, to: 3 }));

  await expect(tile).toHaveAttribute("data-status", "degraded", { timeout: 20_000 });
  await expect(tile).toContainText("certificate expires in 3 days");
  // The value itself, as the tile lists the values its checks report.
  await expect(tile.locator('[data-testid=tile-values] [data-value="days_remaining"]')).toHaveText("3 days");
  await page.screenshot({ path: info.outputPath("tls-degraded.png") });
  info.attach("vigil-output", { body: output.join(""), contentType: "text/plain" });
});

test("an operator finds the push URL on the service page; a curl-style POST to it is a success", async ({
  page,
}) => {
  // Sign in through the real endpoint with its CSRF token (the page shares these cookies).
  const session = (await (await page.request.get("/api/auth/session")).json()) as { csrfToken: string };
  const login = await page.request.post("/api/auth/login", {
    data: { username: USER, password: PASSWORD },
    headers: { "x-csrf-token": session.csrfToken, origin: OWN },
  });
  expect(login.ok()).toBe(true);
  await page.goto("/services/nightly-job");
  const push = page.locator('[data-testid=push-url][data-check="backup"]');
  await expect(push).toBeVisible();
  const url = ((await push.locator("code").textContent()) ?? "").trim();
  expect(url).toMatch(new RegExp(`^${OWN}/api/push/[A-Za-z0-9_-]{32}$`));

  // What a cron job does: no cookie, no CSRF token, just the URL.
  expect((await fetch(`${url}/start`, { method: "POST" })).status).toBe(200);
  expect((await fetch(url, { method: "POST", body: "backup done" })).status).toBe(200);
  await expect(page.locator('[data-testid=check][data-check="backup"]')).toContainText("last success at", {
    timeout: 20_000,
  });
});
