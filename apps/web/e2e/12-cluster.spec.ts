import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type APIRequestContext, type Browser, type BrowserContext, request } from "@playwright/test";
import { expect, test } from "./helpers";
import { type OwnVigil, signIn, startOwnVigil, stopServer } from "./own-server";

/*
 * Three Vigil instances in cluster mode (dist/server.js, VIGIL_CLUSTER=1) on one database: the
 * leader, "a" and "c". A browser on "a" restarts a service; the restart runs on the leader (the
 * owner), and both the browser on "a" and another browser on "c" see its progress and result
 * live, through the Socket.IO Postgres adapter. A real process service (e2e/fixtures/svc.mjs).
 */

const BASE_PORT = Number(process.env.VIGIL_E2E_PORT ?? 3951) + 2500;
const SVC_PORT = BASE_PORT + 10;
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER = join(webDir, "dist", "server.js");
const db = `vigil_e2e_cluster_${Date.now().toString(36)}_${process.pid}`;
const USER = "cluster-admin";
const PASSWORD = `cluster-${Math.random().toString(36).slice(2)}-pw`;
const NODES = ["lead", "a", "c"] as const;
type NodeName = (typeof NODES)[number];
const url = (n: NodeName) => `http://127.0.0.1:${BASE_PORT + NODES.indexOf(n)}`;

test.use({ storageState: { cookies: [], origins: [] } });

let stateDir: string | undefined;
const vigils = new Map<NodeName, OwnVigil>();
const outputs = new Map<NodeName, string[]>();
const logs = () => NODES.map((n) => `--- ${n}\n${(outputs.get(n) ?? []).join("").slice(-3000)}`).join("\n");

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test.beforeAll(async () => {
  // Three production servers with Next start one after another on a small machine.
  test.setTimeout(420_000);
  if (!existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run "pnpm --filter @vigil/web build" first`);
  stateDir = mkdtempSync(join(tmpdir(), "vigil-e2e-cluster-"));
  const config = join(stateDir, "vigil.yaml");
  writeFileSync(
    config,
    [
      "version: 1",
      "project: vigil-e2e-cluster",
      "services:",
      "  svc:",
      "    kind: process",
      // A cluster runs a process on the node it names; "lead" is started first and leads.
      "    node: lead",
      `    command: [node, ${JSON.stringify(join(webDir, "e2e/fixtures/svc.mjs"))}]`,
      `    env: { SERVICE_NAME: svc, PORT: "${SVC_PORT}", READY_AFTER_MS: "1500" }`,
      "    stop_grace: 2s",
      "    checks:",
      `      - { kind: http, name: ready, url: "http://127.0.0.1:${SVC_PORT}/ready", interval: 500ms }`,
      "",
    ].join("\n"),
  );
  for (const name of NODES) {
    const output: string[] = [];
    outputs.set(name, output);
    vigils.set(
      name,
      await startOwnVigil({
        port: BASE_PORT + NODES.indexOf(name),
        db,
        output,
        createDb: name === "lead",
        keepChunks: 2000,
        env: {
          VIGIL_CONFIG: config,
          VIGIL_STATE_DIR: join(stateDir, name),
          VIGIL_CLUSTER: "1",
          VIGIL_NODE_NAME: name,
          VIGIL_ADMIN_USER: USER,
          VIGIL_ADMIN_PASSWORD: PASSWORD,
        },
      }),
    );
    // /readyz answers before the instance has joined; forwarding needs it to know the leader.
    await until(
      `${name} to join the cluster`,
      () => output.join("").includes(`cluster: node ${name} (`),
      60_000,
    );
    // The first one up takes the lease; the restart is then clicked on a follower.
    if (name === "lead")
      await until("the first instance to lead", () => output.join("").includes("lead is the leader"), 30_000);
  }
});

test.afterAll(async () => {
  // The service belongs to the leader; stopping it with the action API leaves no process behind.
  const api = await signedInApi(url("lead")).catch(() => undefined);
  if (api) {
    const csrf = ((await (await api.get("/api/auth/session")).json()) as { csrfToken: string }).csrfToken;
    await api.post("/api/actions", {
      data: { kind: "stop", targets: ["svc"] },
      headers: { "x-csrf-token": csrf },
    });
    await expect
      .poll(async () => (await (await api.get("/api/services/svc")).json()).service?.status, {
        timeout: 20_000,
      })
      .toBe("stopped")
      .catch(() => undefined);
    await api.dispose();
  }
  for (const name of [...NODES].reverse()) await stopServer(vigils.get(name)?.server, 20_000);
  try {
    execFileSync(process.execPath, ["e2e/db.mjs", "drop", db], { cwd: webDir, stdio: "pipe" });
  } catch {
    // best effort: a leftover vigil_e2e_cluster_* database is harmless
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function signedInApi(base: string): Promise<APIRequestContext> {
  const api = await request.newContext({
    baseURL: base,
    extraHTTPHeaders: { origin: base },
    storageState: { cookies: [], origins: [] },
  });
  await signIn(api, USER, PASSWORD);
  return api;
}

/** A browser of its own, signed in on `node` (cookies do not tell ports apart: one context each). */
async function browserOn(browser: Browser, node: NodeName): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: url(node),
    storageState: { cookies: [], origins: [] },
  });
  await signIn(context.request, USER, PASSWORD);
  return context;
}

test("a browser on instance c sees, live, a restart clicked in a browser on instance a", async ({
  browser,
}, info) => {
  // Two browsers on three production servers: a click can take tens of seconds on a loaded two-core machine.
  test.setTimeout(420_000);
  // The service runs first (started through a follower: forwarded to the leader too).
  const api = await signedInApi(url("a"));
  const csrf = ((await (await api.get("/api/auth/session")).json()) as { csrfToken: string }).csrfToken;
  const start = await api.post("/api/actions", {
    data: { kind: "start", targets: ["svc"] },
    headers: { "x-csrf-token": csrf },
  });
  expect(start.status(), await start.text()).toBe(202);
  const leader = await signedInApi(url("lead"));
  await expect
    .poll(async () => (await (await leader.get("/api/services/svc")).json()).service?.status, {
      timeout: 30_000,
    })
    .toBe("healthy");

  const onA = await browserOn(browser, "a");
  const onC = await browserOn(browser, "c");
  try {
    const pageC = await onC.newPage();
    await pageC.goto("/services/svc");
    await expect(pageC.getByTestId("connection")).toHaveAttribute("data-state", "live");
    const recentC = pageC.getByRole("region", { name: "Recent actions" });
    await expect(recentC).toBeVisible();

    const pageA = await onA.newPage();
    await pageA.goto("/services/svc");
    await expect(pageA.getByTestId("connection")).toHaveAttribute("data-state", "live");
    await pageA.getByTestId("service-header").getByRole("button", { name: "Restart svc" }).click();
    await pageA.getByTestId("confirm-dialog").getByTestId("confirm-action").click();

    // The browser that clicked follows it in its dock, from the leader's progress.
    const cardA = pageA.getByTestId("action-dock").getByTestId("action-card").first();
    await expect(cardA).toContainText("Restart svc");
    await expect(cardA).toContainText(`by ${USER}`);
    await expect(cardA).toHaveAttribute("data-result", "succeeded", { timeout: 60_000 });
    await expect(cardA.getByTestId("timeline").locator('[data-service="svc"]')).toBeVisible();

    // The other browser, on another instance, saw it arrive and finish without a reload.
    const cardC = recentC.getByTestId("action-card").first();
    await expect(cardC).toContainText("Restart svc");
    await expect(cardC).toContainText(`by ${USER}`);
    await expect(cardC).toHaveAttribute("data-result", "succeeded", { timeout: 60_000 });
    await expect(pageC.getByTestId("connection")).toHaveAttribute("data-state", "live");
    await pageC.screenshot({ path: info.outputPath("cluster-c.png") });
    // The leader ran it, for the user who clicked on "a".
    expect((outputs.get("lead") ?? []).join("")).toMatch(
      /cluster: restart svc for cluster-admin, forwarded by member/,
    );
  } finally {
    info.attach("vigil-output", { body: logs(), contentType: "text/plain" });
    await onA.close();
    await onC.close();
    await api.dispose();
    await leader.dispose();
  }
});
