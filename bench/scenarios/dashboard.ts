import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type BoardLoad, loadBoard } from "../lib/board-page.ts";
import { type Browser, launchChromium } from "../lib/browser.ts";
import { type Cleanup, withCleanup } from "../lib/cleanup.ts";
import { fleetYaml } from "../lib/fleet.ts";
import { metric } from "../lib/metric.ts";
import { percentile } from "../lib/stats.ts";
import { type HttpTarget, startHttpTarget } from "../lib/target.ts";
import { sleep, waitUntil } from "../lib/time.ts";
import { firstLoadJs } from "../lib/web-build.ts";
import { signIn, startOnStableBuild } from "../lib/web-server.ts";
import type { Metric, Scenario } from "../types.ts";

/*
 * The board as a user gets it: first-load JS from Next's own route stats (gzipped per chunk), and
 * in Chromium the time from navigation start until the page shows a real service status with the
 * socket live. The server is warm (one navigation first); every timed load uses a fresh browser
 * context, so it is a first visit: nothing cached in the browser.
 * Then the board at 1,000 and 10,000 services (issue 20): fresh browser to every service drawn
 * (bench/lib/board-page.ts says what "drawn" means) and each keystroke of a search.
 */

const SERVICES = 20;

/** Records (in page time, ms since navigation start) when a status pill and the live badge first appear. */
const OBSERVER = `(() => {
  const t = {};
  window.__vigilTimes = t;
  const check = () => {
    const now = performance.now();
    if (t.status === undefined && document.querySelector('[data-status]:not([data-status="unknown"])')) t.status = now;
    if (t.live === undefined && document.querySelector('[data-testid="connection"][data-state="live"]')) t.live = now;
    if (t.status !== undefined && t.live !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state", "data-status"] });
})();`;

/** Board sizes, each checked at an interval that keeps the machine's probing modest (the board is measured, not the probes). */
const SCALES = [
  { services: 1000, interval: "30s", drawnBelow: 1500 },
  { services: 10_000, interval: "120s", drawnBelow: 2000 },
] as const;
/** Typed into the search a key at a time; the last keys narrow 10,000 services to one. */
const TYPED = "svc-01234";

export const dashboard: Scenario = {
  name: "dashboard",
  description:
    "board first-load JS (gzip), time to first live status, and at 1,000 / 10,000 services time to every service drawn and a search keystroke, in Chromium",
  async run({ quick }) {
    const metrics: Metric[] = [];
    const notes: string[] = [];
    // Each part on its own: on a loaded shared machine one part timing out must not drop the others.
    const parts = [
      { key: "small", name: "20-service board", run: () => smallBoard(quick) },
      { key: "service", name: "service page", run: () => servicePage(quick) },
      ...SCALES.map((scale) => ({
        key: String(scale.services),
        name: `${scale.services}-service board`,
        run: () => boardAtScale(scale, quick),
      })),
    ];
    // BENCH_DASHBOARD=small (or service, 1000, 10000, comma-separated) runs only those parts; default all.
    const wanted = (process.env.BENCH_DASHBOARD ?? "").split(",").filter((k) => k !== "");
    for (const part of parts.filter((p) => wanted.length === 0 || wanted.includes(p.key))) {
      try {
        const r = await part.run();
        console.log(
          `  ${part.name}: ${r.metrics.map((m) => `${m.name} ${m.value.toFixed(1)} ${m.unit}`).join("; ")}`,
        );
        metrics.push(...r.metrics);
        notes.push(...r.notes);
      } catch (error) {
        notes.push(`${part.name} not measured: ${String(error).slice(0, 300)}`);
      }
    }
    return { metrics, notes };
  },
};

async function smallBoard(quick: boolean): Promise<{ metrics: Metric[]; notes: string[] }> {
  const loads = quick ? 3 : 7;
  return withCleanup(async (cleanup) => {
    const target = await startHttpTarget(cleanup);
    const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-dashboard-"));
    cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
    const services = Array.from(
      { length: SERVICES },
      (_, i) =>
        `  web-${i}:\n    kind: external\n    checks:\n      - { kind: http, name: health, url: "${target.url}/ok/web-${i}", interval: 2s }\n`,
    ).join("");
    // A signed-in user, as on a real board (sign-in itself is not timed).
    const password = randomBytes(12).toString("hex");
    const { server, note } = await startOnStableBuild(cleanup, {
      dir,
      configYaml: `version: 1\nproject: bench-dashboard\nservices:\n${services}`,
      env: { VIGIL_ADMIN_USER: "bench", VIGIL_ADMIN_PASSWORD: password },
    });
    const cookies = await signIn(server.url, "bench", password);
    // Read right after the server started on this build, so both numbers describe the same one.
    const js = await firstLoadJs("/");
    const notes = [note];
    notes.push(
      `first-load JS of /: ${js.chunks} chunks, ${(js.raw / 1000).toFixed(1)} kB raw; routes: ${js.routes.join(", ")}`,
    );

    const browser = await launchChromium();
    cleanup.add("chromium", () => browser.close());
    await timedLoad(browser, server.url, cookies); // warms Next's caches and the route
    const firstLive: number[] = [];
    const firstStatus: number[] = [];
    for (let i = 0; i < loads; i++) {
      const t = await timedLoad(browser, server.url, cookies);
      firstLive.push(Math.max(t.status, t.live));
      firstStatus.push(t.status);
    }
    notes.push(
      `${loads} timed loads (fresh context each) after 1 warm-up; first live status ms: ${firstLive.map((v) => v.toFixed(0)).join(", ")}`,
      `first status pill visible (may be server-rendered) p50 ${percentile(firstStatus, 50).toFixed(0)} ms`,
    );
    return {
      metrics: [
        metric("first-load JS of the board (gzip)", js.gzip / 1000, "kB", { below: 180 }),
        metric("time to first live status p50", percentile(firstLive, 50), "ms"),
        metric("time to first live status p95", percentile(firstLive, 95), "ms", { below: 1500 }),
      ],
      notes,
    };
  });
}

/**
 * The service page while its eight checks report every second: the browser's main-thread script
 * time per second of wall clock (Chrome's own `Performance.getMetrics`). Live results change the
 * service's tile data, not its history; before the charts were memoised every result redrew
 * recharts (819–840 ms of script a second: a frozen page).
 */
async function servicePage(quick: boolean): Promise<{ metrics: Metric[]; notes: string[] }> {
  const seconds = quick ? 20 : 60;
  return withCleanup(async (cleanup) => {
    const target = await startHttpTarget(cleanup);
    const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-service-page-"));
    cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
    const checks = Array.from(
      { length: 8 },
      (_, i) => `      - { kind: http, name: c${i}, url: "${target.url}/ok/busy-${i}", interval: 1s }\n`,
    ).join("");
    const password = randomBytes(12).toString("hex");
    const { server, note } = await startOnStableBuild(cleanup, {
      dir,
      configYaml: `version: 1\nproject: bench-service-page\nservices:\n  busy:\n    kind: external\n    checks:\n${checks}`,
      env: { VIGIL_ADMIN_USER: "bench", VIGIL_ADMIN_PASSWORD: password },
    });
    const cookies = await signIn(server.url, "bench", password);
    const browser = await launchChromium();
    cleanup.add("chromium", () => browser.close());
    const context = await browser.newContext();
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(`${server.url}/services/busy?range=1h`, { waitUntil: "load", timeout: 60_000 });
    await waitUntil(
      "the latency chart",
      async () =>
        (await page.evaluate<boolean>(`!!document.querySelector('[data-testid="history"] svg')`)) ||
        undefined,
      60_000,
      200,
    );
    await sleep(5000);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const read = async () => {
      const { metrics } = await cdp.send<{ metrics: { name: string; value: number }[] }>(
        "Performance.getMetrics",
      );
      const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
      return { script: of("ScriptDuration"), task: of("TaskDuration") };
    };
    const before = await read();
    await sleep(seconds * 1000);
    const after = await read();
    const perSecond = (a: number, b: number) => ((b - a) * 1000) / seconds;
    const script = perSecond(before.script, after.script);
    const task = perSecond(before.task, after.task);
    return {
      metrics: [
        metric("service page, 8 checks reporting every second: main-thread script", script, "ms/s"),
        metric("service page, 8 checks reporting every second: main-thread tasks", task, "ms/s"),
      ],
      notes: [note, `service page measured over ${seconds} s after the chart drew and 5 s settled`],
    };
  });
}

async function boardAtScale(
  scale: (typeof SCALES)[number],
  quick: boolean,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const loads = quick ? 3 : 5;
  const n = scale.services;
  return withCleanup(async (cleanup) => {
    const target = await startHttpTarget(cleanup);
    const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-board-"));
    cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
    const { url, cookies, note, readyAfter } = await startFleet(cleanup, dir, target, n, scale.interval);
    const browser = await launchChromium();
    cleanup.add("chromium", () => browser.close());
    await loadBoard(browser, url, cookies, n); // warms Next's caches and the route
    const runs: BoardLoad[] = [];
    for (let i = 0; i < loads; i++) {
      const run = await loadBoard(browser, url, cookies, n, TYPED);
      console.log(
        `  ${n} services, load ${i + 1}: drawn ${run.drawn.toFixed(0)} ms, keys ${run.keys.map((k) => k.toFixed(0)).join("/")} ms`,
      );
      runs.push(run);
    }
    const drawn = runs.map((r) => r.drawn);
    const keys = runs.flatMap((r) => r.keys);
    const last = runs[runs.length - 1];
    const label = n.toLocaleString("en");
    return {
      metrics: [
        metric(`fresh browser to every service drawn, ${label} services p50`, percentile(drawn, 50), "ms"),
        metric(`fresh browser to every service drawn, ${label} services p95`, percentile(drawn, 95), "ms", {
          below: scale.drawnBelow,
        }),
        metric(`search keystroke to its frame, ${label} services p95`, percentile(keys, 95), "ms", {
          below: 50,
        }),
        metric(`board HTML document, ${label} services`, (last?.htmlBytes ?? Number.NaN) / 1000, "kB"),
      ],
      notes: [
        note,
        `${label} services (20 groups, one HTTP check each every ${scale.interval}); every service had a status after ${(readyAfter / 1000).toFixed(1)} s`,
        `${loads} timed loads (fresh context each) after 1 warm-up; drawn ms: ${drawn.map((v) => v.toFixed(0)).join(", ")}; tiles in the DOM when drawn: ${runs.map((r) => r.tiles).join(", ")}`,
        `search "${TYPED}" a key at a time, ${keys.length} keystrokes: p50 ${percentile(keys, 50).toFixed(1)} ms, max ${Math.max(...keys).toFixed(1)} ms`,
        `board HTML ${last?.htmlBytes} B (${last?.htmlWire} B on the wire)`,
      ],
    };
  });
}

/** The built server watching `n` services, signed in, once every service has a status. */
async function startFleet(cleanup: Cleanup, dir: string, target: HttpTarget, n: number, interval: string) {
  const password = randomBytes(12).toString("hex");
  const { server, note } = await startOnStableBuild(cleanup, {
    dir,
    configYaml: fleetYaml({ project: "bench-board", targetUrl: target.url, count: n, interval }),
    env: { VIGIL_ADMIN_USER: "bench", VIGIL_ADMIN_PASSWORD: password },
  });
  const cookies = await signIn(server.url, "bench", password);
  const header = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const t0 = performance.now();
  await waitUntil(
    `every one of ${n} services to have a status`,
    async () => {
      const res = await fetch(`${server.url}/api/services`, {
        headers: { cookie: header },
        signal: AbortSignal.timeout(20_000),
      }).catch(() => undefined);
      if (!res?.ok) return undefined;
      const body = (await res.json()) as { services: { status: string }[] };
      return body.services.length === n && body.services.every((s) => s.status !== "unknown")
        ? true
        : undefined;
    },
    300_000,
    2000,
  );
  return { url: server.url, cookies, note, readyAfter: performance.now() - t0 };
}

async function timedLoad(
  browser: Browser,
  url: string,
  cookies: { name: string; value: string; url: string }[],
): Promise<{ status: number; live: number }> {
  const context = await browser.newContext();
  try {
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.addInitScript(OBSERVER);
    await page.goto(url, { waitUntil: "commit", timeout: 30_000 });
    // Polled with evaluate (a CDP evaluation): the app's CSP forbids the eval waitForFunction uses.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const t = await page.evaluate<{ status?: number; live?: number } | undefined>("window.__vigilTimes");
      if (t?.status !== undefined && t.live !== undefined) return { status: t.status, live: t.live };
      if (Date.now() > deadline) throw new Error(`no live status within 30 s (seen: ${JSON.stringify(t)})`);
      await sleep(50);
    }
  } finally {
    await context.close();
  }
}
