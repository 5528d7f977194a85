import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Browser, launchChromium } from "../lib/browser.ts";
import { withCleanup } from "../lib/cleanup.ts";
import { metric } from "../lib/metric.ts";
import { percentile } from "../lib/stats.ts";
import { startHttpTarget } from "../lib/target.ts";
import { sleep } from "../lib/time.ts";
import { firstLoadJs } from "../lib/web-build.ts";
import { signIn, startOnStableBuild } from "../lib/web-server.ts";
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
          metric("first-load JS of the board (gzip)", js.gzip / 1000, "kB", { below: 250 }),
          metric("time to first live status p50", percentile(firstLive, 50), "ms"),
          metric("time to first live status p95", percentile(firstLive, 95), "ms", { below: 1500 }),
        ],
        notes,
      };
    });
  },
};

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
