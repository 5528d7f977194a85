import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { closedPort, json } from "../testing/http-server.ts";
import { monitorHarness } from "../testing/monitor.ts";
import { waitFor } from "../testing/wait.ts";
import type { Monitor } from "./monitor.ts";

const harness = monitorHarness();
const serve = harness.serve;

function monitor(services: unknown, events: EngineEvent[] = []): Monitor {
  return harness.monitor({ services }, (e) => events.push(e));
}

describe("monitor config update", () => {
  it("restarts only changed checks, drops removed services and starts added ones", async () => {
    const server = await serve((_req, res) => res.end("ok"));
    const events: EngineEvent[] = [];
    const check = (path: string) => ({ kind: "http", url: `${server.url}${path}`, interval: 40 });
    const m = monitor(
      {
        a: { kind: "external", checks: [check("/a")] },
        b: { kind: "external", checks: [check("/b")] },
        c: { kind: "external", checks: [check("/c")] },
      },
      events,
    );
    await m.runNow();
    const before = m.service("a")?.checks[0];
    expect(before?.state).toBe("healthy");
    await m.update(
      ConfigSchema.parse({
        services: {
          a: { kind: "external", checks: [check("/a")] },
          b: { kind: "external", checks: [check("/b2")] },
          d: { kind: "external", depends_on: ["a"], checks: [check("/d")] },
        },
      }),
    );
    expect(m.service("a")?.checks[0]).toEqual(before);
    expect(m.service("a")?.status).toBe("healthy");
    expect(m.service("b")?.checks[0]).toMatchObject({ state: "unknown", consecutiveSuccesses: 0 });
    expect(m.service("b")?.checks[0]?.last).toBeUndefined();
    expect(m.service("c")).toBeUndefined();
    expect(m.snapshot().map((s) => [s.name, s.wave])).toEqual([
      ["a", 0],
      ["b", 0],
      ["d", 1],
    ]);
    // Every remaining check keeps running on its schedule, the unchanged one included.
    const count = events.length;
    m.start();
    expect(
      await waitFor(() => {
        const fresh = events.slice(count).flatMap((e) => (e.type === "check.result" ? [e.service] : []));
        return ["a", "b", "d"].every((s) => fresh.includes(s));
      }, 20_000),
    ).toBe(true);
    expect(
      events.some((e) => e.type === "check.result" && e.service === "c" && events.indexOf(e) >= count),
    ).toBe(false);
  });
});

describe("monitor statuses from results", () => {
  it("maps a standard health document, names dedupe by kind, and retries count as one run", async () => {
    let status = "degraded";
    const server = await serve((_req, res) =>
      json(res, 200, { status, checks: { dependencies: {}, resources: {} } }),
    );
    const port = await closedPort();
    const events: EngineEvent[] = [];
    const m = monitor(
      {
        api: {
          kind: "external",
          checks: [
            { kind: "http", url: server.url },
            { kind: "http", url: server.url },
          ],
        },
        db: { kind: "external", checks: [{ kind: "tcp", port, retries: 2, failure_threshold: 1 }] },
      },
      events,
    );
    await m.runNow();
    expect(m.service("api")).toMatchObject({
      status: "degraded",
      reason: 'http: health document reports "degraded"',
      checks: [{ name: "http" }, { name: "http-2" }],
    });
    status = "healthy";
    await m.runNow("api");
    expect(m.service("api")).toMatchObject({ status: "healthy", reason: "all 2 checks passing" });
    const db = events.filter((e) => e.type === "check.result" && e.service === "db");
    expect(db).toHaveLength(1);
    expect(db[0]).toMatchObject({ state: "unhealthy", result: { details: { attempts: 3 } } });
  });

  it("shows the staged stage reached while the lifecycle says starting", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const m = monitor({
      model: {
        kind: "process",
        command: "true",
        checks: [
          {
            kind: "staged",
            stages: [
              { name: "port listening", check: { kind: "tcp", port: server.port } },
              { name: "model loaded", check: { kind: "http", url: server.url } },
            ],
          },
        ],
      },
    });
    m.setRuntime("model", { state: "starting" });
    await m.runNow();
    expect(m.service("model")).toMatchObject({
      status: "starting",
      reason: 'starting: stage 1/2 "port listening" reached',
    });
  });
});
