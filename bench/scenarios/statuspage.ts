import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, get } from "node:http";
import os from "node:os";
import path from "node:path";
import { withCleanup } from "../lib/cleanup.ts";
import { metric } from "../lib/metric.ts";
import { cpuMsOf } from "../lib/proc.ts";
import { percentile } from "../lib/stats.ts";
import { startHttpTarget } from "../lib/target.ts";
import { firstLoadJs } from "../lib/web-build.ts";
import { signIn, startOnStableBuild } from "../lib/web-server.ts";
import type { Scenario } from "../types.ts";

/*
 * A public status page under a crowd: 500 anonymous clients on loopback, each on its own
 * keep-alive connection, asking the page and its JSON back to back for a fixed time while 20
 * services are probed every 2 s. Latency per request (client side), the server process's CPU from
 * /proc, and the page's weight: it is server-rendered HTML with one inline script, no Next chunks
 * (the operators' /status-pages screen's first-load JS is read from Next's route stats).
 */

const SERVICES = 20;
const CLIENTS = 500;

export const statuspage: Scenario = {
  name: "statuspage",
  description: "public status page and its JSON under 500 concurrent anonymous clients: p99 and server CPU",
  async run({ quick }) {
    const seconds = quick ? 5 : 20;
    return withCleanup(async (cleanup) => {
      const target = await startHttpTarget(cleanup);
      const dir = await mkdtemp(path.join(os.tmpdir(), "vigil-bench-statuspage-"));
      cleanup.add("temp dir", () => rm(dir, { recursive: true, force: true }));
      const services = Array.from(
        { length: SERVICES },
        (_, i) =>
          `  svc-${i}:\n    kind: external\n    group: g${i % 2}\n    checks:\n      - { kind: http, name: health, url: "${target.url}/ok/svc-${i}", interval: 2s }\n`,
      ).join("");
      const password = randomBytes(12).toString("hex");
      const { server, note } = await startOnStableBuild(cleanup, {
        dir,
        configYaml: `version: 1\nproject: bench-statuspage\nservices:\n${services}`,
        // All clients share 127.0.0.1: the per-address limit would otherwise answer 429.
        env: {
          VIGIL_ADMIN_USER: "bench",
          VIGIL_ADMIN_PASSWORD: password,
          VIGIL_PUBLIC_RATE_LIMIT: "100000000",
        },
      });
      const cookies = await signIn(server.url, "bench", password);
      const csrf = decodeURIComponent(cookies.find((c) => c.name === "vigil_csrf")?.value ?? "");
      const created = await fetch(`${server.url}/api/status-pages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: server.url,
          cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; "),
          "x-csrf-token": csrf,
        },
        body: JSON.stringify({
          slug: "bench",
          title: "Bench status",
          components: [
            { id: "a", kind: "group", ref: "g0", name: "Alpha" },
            { id: "b", kind: "group", ref: "g1", name: "Beta" },
          ],
        }),
      });
      if (created.status !== 201)
        throw new Error(`creating the page: HTTP ${created.status} ${await created.text()}`);
      const page = `${server.url}/status/bench`;
      const html = await (await fetch(page)).text();
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
      const operatorJs = await firstLoadJs("/status-pages").catch(() => null);

      const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
      cleanup.add("http agent", async () => agent.destroy());
      const latencies: number[] = [];
      let errors = 0;
      let n304 = 0;
      const until = performance.now() + seconds * 1000;
      const cpu0 = await cpuMsOf(server.pid);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          let etag = "";
          for (let k = 0; performance.now() < until; k++) {
            // Half the clients revalidate the JSON like the page's script does; the rest load the page.
            const json = (i + k) % 2 === 0;
            const t = performance.now();
            try {
              const res = await request(
                agent,
                json ? `${page}/json` : page,
                json && etag ? { "if-none-match": etag } : {},
              );
              if (res.status === 304) n304++;
              else if (res.status !== 200) errors++;
              if (json) etag = res.etag ?? etag;
            } catch {
              errors++;
            }
            latencies.push(performance.now() - t);
          }
        }),
      );
      const wall = performance.now() - t0;
      const cpuPercent = (((await cpuMsOf(server.pid)) - cpu0) / wall) * 100;
      const notes = [
        note,
        `${latencies.length} requests in ${(wall / 1000).toFixed(1)} s (${Math.round(latencies.length / (wall / 1000))}/s) from ${CLIENTS} keep-alive clients; ${n304} answered 304, ${errors} errors`,
        `latency p50 ${percentile(latencies, 50).toFixed(1)} / p95 ${percentile(latencies, 95).toFixed(1)} / p99 ${percentile(latencies, 99).toFixed(1)} ms (client and server share the 2-core machine)`,
        `public page: ${html.length} B HTML (two components × 90 bars), inline script ${script.length} B, no Next chunks`,
        operatorJs
          ? `operators' /status-pages first-load JS: ${operatorJs.chunks} chunks, ${(operatorJs.gzip / 1000).toFixed(1)} kB gzip`
          : "operators' /status-pages not in route-bundle-stats.json",
      ];
      return {
        metrics: [
          metric("status page + JSON p99 (500 clients)", percentile(latencies, 99), "ms", { below: 500 }),
          metric("status page requests/s", latencies.length / (wall / 1000), "req/s"),
          metric("server CPU during the crowd", cpuPercent, "% of a core"),
          metric("public page first-load JS", script.length / 1000, "kB", { below: 5 }),
          metric("errors", errors, "", { below: 1 }),
        ],
        notes,
      };
    });
  },
};

/** One GET on the shared keep-alive agent, body drained; rejects after 30 s. */
function request(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent, headers, timeout: 30_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${url}: no answer in 30 s`)));
    req.on("error", reject);
  });
}
