import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { expect, test } from "../helpers";
import { startOwnVigil, stopServer } from "../own-server";
import { median, type ProcessSample, sampleProcess, slope } from "./process-sample";

/*
 * Fault-matrix row 18: the open file descriptors of a real Vigil stay flat over 10 minutes of 1 s
 * probes. The built server (dist/server.js, as shipped) runs e2e/fixtures/soak.yaml — every probe
 * kind against a process, a Docker container, Postgres, Redis, NATS, a silent target and a closed
 * port, ~13 probe runs a second — while Chromium keeps a live board open and moves between pages
 * every minute (each load is a new socket; service pages open log and resource streams). Its
 * /proc/<pid>/fd is sampled every 5 s. A leak of one descriptor per thousand probe runs would add ~7.
 */

const MINUTE = 60_000;
// CI always runs the full ten minutes; VIGIL_SOAK_MS shortens a local run (the title says so).
const DURATION_MS = process.env.CI ? 10 * MINUTE : Number(process.env.VIGIL_SOAK_MS ?? 10 * MINUTE);
const SAMPLE_EVERY_MS = 5000;
if (!(DURATION_MS >= 90_000)) {
  throw new Error(
    `VIGIL_SOAK_MS must be at least 90000 (a warm-up minute plus a measured one), not ${DURATION_MS}`,
  );
}
const WARM_UP_S = 60;
const PORT = Number(process.env.VIGIL_SOAK_PORT ?? 4951);
const SOAK = `http://127.0.0.1:${PORT}`;
const USER = "soak-admin";
const PASSWORD = `soak-${Math.random().toString(36).slice(2)}-pw`;
const METRICS_TOKEN = `soak-metrics-${Math.random().toString(36).slice(2)}`;
/** Probe runs per second in soak.yaml: api 3, box 3, data 5, silent 2. */
const PROBES_PER_SECOND = 13;
/** Pages visited in turn, one a minute: board, service pages (log + resource streams), graph, events. */
const ROTATION = ["/services/box", "/services/api", "/graph", "/events", "/"];

const webDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVER = join(webDir, "dist", "server.js");

test.use({ baseURL: SOAK, storageState: { cookies: [], origins: [] } });

const minutes = Math.round((DURATION_MS / MINUTE) * 10) / 10;
test(`fd count stays flat over ${minutes} minutes of 1 s probes (fault matrix row 18)`, async ({
  page,
}, info) => {
  test.setTimeout(DURATION_MS + 5 * MINUTE);
  requireDocker();
  if (!existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run "pnpm --filter @vigil/web build" first`);

  const id = `${Date.now().toString(36)}${process.pid}`;
  const db = `vigil_soak_${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), "vigil-soak-"));
  const silent = await startSilentTarget();
  const output: string[] = [];
  let server: ChildProcess | undefined;
  try {
    ({ server } = await startOwnVigil({
      port: PORT,
      db,
      output,
      keepChunks: 400,
      env: {
        VIGIL_CONFIG: join(webDir, "e2e/fixtures/soak.yaml"),
        VIGIL_STATE_DIR: stateDir,
        VIGIL_STOP_ON_EXIT: "1",
        VIGIL_ADMIN_USER: USER,
        VIGIL_ADMIN_PASSWORD: PASSWORD,
        VIGIL_METRICS_TOKEN: METRICS_TOKEN,
        SOAK_ID: id,
        SOAK_HANG_PORT: String(silent.port),
      },
    }));
    const pid = server.pid;
    if (pid === undefined) throw new Error("the Vigil server did not start");

    await signIn(page);
    await startStack(page);

    const samples: ProcessSample[] = [];
    const began = Date.now();
    let nextPage = 0;
    let nextVisit = began + MINUTE;
    while (Date.now() - began < DURATION_MS) {
      if (server.exitCode !== null) throw new Error(`Vigil exited (${server.exitCode}):\n${output.join("")}`);
      samples.push(sampleProcess(pid, Math.round((Date.now() - began) / 1000)));
      if (Date.now() >= nextVisit) {
        await visit(page, ROTATION[nextPage % ROTATION.length] as string);
        nextPage++;
        nextVisit += MINUTE;
      }
      await page.waitForTimeout(Math.max(0, began + samples.length * SAMPLE_EVERY_MS - Date.now()));
    }
    const probeRuns = await countProbeRuns();

    const settled = samples.filter((s) => s.t >= WARM_UP_S);
    const early = settled.filter((s) => s.t < WARM_UP_S + 60);
    const late = samples.filter((s) => s.t >= DURATION_MS / 1000 - 60);
    const fds = (list: ProcessSample[]) => list.map((s) => s.fds);
    const rss = (list: ProcessSample[]) => list.map((s) => s.rssMiB);
    const report = {
      minutes,
      probeRuns,
      pagesVisited: nextPage,
      fds: {
        firstSample: samples[0]?.fds,
        baselineMedian: median(fds(early)),
        finalMedian: median(fds(late)),
        min: Math.min(...fds(settled)),
        max: Math.max(...fds(settled)),
        slopePer10Min: slope(settled.map((s) => ({ t: s.t, y: s.fds }))) * 600,
        first: samples[0]?.byType,
        last: samples.at(-1)?.byType,
      },
      rssMiB: {
        baselineMedian: median(rss(early)),
        finalMedian: median(rss(late)),
        max: Math.max(...rss(settled)),
      },
      samples,
    };
    writeReport(report, info.outputPath("soak-fd.json"));
    console.log(`[soak] ${JSON.stringify({ ...report, samples: undefined })}`);

    // The probes really ran at their interval the whole time (a stalled scheduler would be "flat").
    expect(probeRuns).toBeGreaterThan(PROBES_PER_SECOND * (DURATION_MS / 1000) * 0.85);
    expect(report.fds.finalMedian - report.fds.baselineMedian).toBeLessThanOrEqual(3);
    expect(report.fds.slopePer10Min).toBeLessThan(3);
    expect(report.fds.max - report.fds.baselineMedian).toBeLessThanOrEqual(25);
  } finally {
    await stopServer(server);
    await silent.close();
    removeContainer(`vigil-soak-${id}`);
    try {
      execFileSync(process.execPath, ["e2e/db.mjs", "drop", db], { cwd: webDir, stdio: "pipe" });
    } catch {
      // best effort: a leftover throwaway database is named vigil_soak_* and harmless
    }
    rmSync(stateDir, { recursive: true, force: true });
    info.attach("vigil-output", { body: output.join(""), contentType: "text/plain" });
  }
});

function requireDocker(): void {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 15_000 });
  } catch {
    const why = "Docker engine not reachable (bash scripts/ensure-docker.sh)";
    if (process.env.CI) throw new Error(why);
    test.skip(true, why);
  }
}

/** Accepts connections and never answers: every HTTP probe of it ends at its timeout. */
async function startSilentTarget(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function signIn(page: Page): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(USER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
}

/** Starts the managed group from the board, as an operator would, and waits until every check settled. */
async function startStack(page: Page): Promise<void> {
  await page.getByTestId("start-group-managed").click();
  await page.getByTestId("confirm-dialog").getByTestId("confirm-action").click();
  const card = page.getByTestId("action-dock").getByTestId("action-card").first();
  await expect(card).toHaveAttribute("data-result", "succeeded", { timeout: 90_000 });
  const tile = (name: string) => page.locator(`[data-testid=tile][data-service="${name}"]`);
  for (const name of ["api", "box", "data"]) {
    await expect(tile(name)).toHaveAttribute("data-status", "healthy", { timeout: 30_000 });
  }
  await expect(tile("silent")).toHaveAttribute("data-status", "unhealthy", { timeout: 30_000 });
}

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  // The soak shares two cores with the unit suite (three-instance cluster tests among it): a
  // connection may take longer than the default 10 s there. It counts descriptors, not latency.
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live", { timeout: 60_000 });
  if (path.startsWith("/services/")) await expect(page.getByTestId("logs")).toBeVisible({ timeout: 60_000 });
}

/** Probe runs the server counted (its Prometheus histogram), over every check. */
async function countProbeRuns(): Promise<number> {
  const res = await fetch(`${SOAK}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`/metrics: HTTP ${res.status}`);
  let total = 0;
  for (const line of (await res.text()).split("\n")) {
    if (line.startsWith("vigil_probe_duration_seconds_count{")) total += Number(line.split(" ").at(-1));
  }
  return total;
}

function writeReport(report: object, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

function removeContainer(name: string): void {
  try {
    execFileSync("docker", ["rm", "-f", name], { stdio: "ignore", timeout: 20_000 });
  } catch {
    // not there: Vigil removed it on its way out
  }
}
