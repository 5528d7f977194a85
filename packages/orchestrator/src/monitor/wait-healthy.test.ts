import { describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { monitorHarness } from "../testing/monitor.ts";
import type { Monitor } from "./monitor.ts";

const harness = monitorHarness();
const serve = harness.serve;

function monitor(services: unknown): Monitor {
  return harness.monitor({ services });
}

const wait = (m: Monitor, service: string, timeoutMs: number, onStage?: (s: string) => void) =>
  m.waitHealthy(service, {
    signal: new AbortController().signal,
    timeoutMs,
    ...(onStage ? { onStage } : {}),
  });

describe("waitHealthy", () => {
  it("runs checks at once instead of waiting for the interval, respecting success_threshold", async () => {
    const server = await serve((_req, res, hit) => {
      res.writeHead(hit <= 3 ? 503 : 200);
      res.end();
    });
    const m = monitor({
      api: {
        kind: "external",
        checks: [{ kind: "http", url: server.url, interval: "1h", success_threshold: 2 }],
      },
    });
    m.start();
    expect(await wait(m, "api", 20_000)).toEqual({ ok: true });
    expect(server.hits).toBeGreaterThanOrEqual(5);
    expect(m.service("api")?.status).toBe("healthy");
  });

  it("resolves at once for a service without checks", async () => {
    const m = monitor({ plain: { kind: "external" } });
    expect(await wait(m, "plain", 1000)).toEqual({ ok: true });
  });

  it("fails with the last failing check's message at its timeout", async () => {
    const port = await closedPort();
    const m = monitor({ db: { kind: "external", checks: [{ kind: "tcp", port, failure_threshold: 1 }] } });
    const result = await wait(m, "db", 3000);
    expect(result).toEqual({
      ok: false,
      message: `127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it("treats failures inside the start period as not yet, and stops on abort", async () => {
    const port = await closedPort();
    const m = monitor({ slow: { kind: "external", checks: [{ kind: "tcp", port, start_period: "1h" }] } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 800);
    const result = await m.waitHealthy("slow", { signal: controller.signal, timeoutMs: 60_000 });
    expect(result.ok).toBe(false);
    expect(m.service("slow")?.checks[0]).toMatchObject({ state: "unknown", consecutiveFailures: 0 });
  });

  it("reports staged progress through onStage", async () => {
    const server = await serve((_req, res, hit) => {
      res.writeHead(hit <= 2 ? 503 : 200);
      res.end();
    });
    const m = monitor({
      model: {
        kind: "external",
        checks: [
          {
            kind: "staged",
            stages: [
              { name: "port listening", check: { kind: "tcp", port: server.port } },
              { name: "API responsive", check: { kind: "http", url: server.url } },
            ],
          },
        ],
      },
    });
    const stages: string[] = [];
    expect(await wait(m, "model", 20_000, (s) => stages.push(s))).toEqual({ ok: true });
    expect(stages).toEqual(["port listening", "API responsive"]);
  });
});
