import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Browser, launchChromium } from "../lib/browser.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { metric } from "../lib/metric.ts";
import { percentile } from "../lib/stats.ts";
import { startHttpTarget } from "../lib/target.ts";
import { ensureWebBuild, firstLoadJs } from "../lib/web-build.ts";
import { startBuiltServer } from "../lib/web-server.ts";
import type { Scenario } from "../types.ts";

/*
 * The board as a user gets it: first-load JS from Next's own route stats (gzipped per chunk), and
 * in Chromium the time from navigation start until the page shows a real service status with the
 * socket live. The server is warm (one navigation first); every timed load uses a fresh browser
 * context, so it is a first visit: nothing cached in the browser.
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

export const dashboard: Scenario = {
  name: "dashboard",
  description: "board first-load JS (gzip) and time to first live status in Chromium on a warm server",
  async run({ quick }) {
    const loads = quick ? 3 : 7;
    return withCleanup(async (cleanup) => {
      const notes = [await ensureWebBuild()];
      const js = await firstLoadJs("/");
      notes.push(
        `first-load JS of /: ${js.chunks} chunks, ${(js.raw / 1000).toFixed(1)} kB raw; routes: ${js.routes.join(", ")}`,
      );

      const target = await startHttpTarget(cleanup);
      const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-dashboard-"));
      cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
      const services = Array.from(
        { length: SERVICES },
        (_, i) =>
          `  web-${i}:\n    kind: external\n    checks:\n      - { kind: http, name: health, url: "${target.url}/ok/web-${i}", interval: 2s }\n`,
      ).join("");
      const server = await startBuiltServer(cleanup, {
        dir,
        configYaml: `version: 1\nproject: bench-dashboard\nservices:\n${services}`,
      });

      const browser = await launchChromium();
      cleanup.add("chromium", () => browser.close());
      await timedLoad(browser, server.url); // warms Next's caches and the route
      const firstLive: number[] = [];
      const firstStatus: number[] = [];
      for (let i = 0; i < loads; i++) {
        const t = await timedLoad(browser, server.url);
        firstLive.push(Math.max(t.status, t.live));
        firstStatus.push(t.status);
      }
      notes.push(
        `${loads} timed loads (fresh context each) after 1 warm-up; first live status ms: ${firstLive.map((v) => v.toFixed(0)).join(", ")}`,
        `first status pill visible (may be server-rendered) p50 ${percentile(firstStatus, 50).toFixed(0)} ms`,
      );
      return {
        metrics: [
          metric("first-load JS of the board (gzip)", js.gzip / 1000, "kB", { below: 250 }),
          metric("time to first live status p50", percentile(firstLive, 50), "ms"),
          metric("time to first live status p95", percentile(firstLive, 95), "ms", { below: 1500 }),
        ],
        notes,
      };
    });
  },
};

async function timedLoad(browser: Browser, url: string): Promise<{ status: number; live: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVER);
    await page.goto(url, { waitUntil: "commit", timeout: 30_000 });
    await page.waitForFunction(
      "window.__vigilTimes && window.__vigilTimes.status !== undefined && window.__vigilTimes.live !== undefined",
      undefined,
      { timeout: 30_000, polling: 50 },
    );
    return await page.evaluate<{ status: number; live: number }>("window.__vigilTimes");
  } finally {
    await context.close();
  }
}
