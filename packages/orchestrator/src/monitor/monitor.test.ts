import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { MonitorFactory } from "../engine/monitor-port.ts";
import type { EngineEvent } from "../events.ts";
import { closedPort } from "../testing/http-server.ts";
import { monitorHarness } from "../testing/monitor.ts";
import { waitFor } from "../testing/wait.ts";
import { createMonitor, type Monitor } from "./monitor.ts";

// The engine swaps its basic monitor for this one: the types must fit its port.
const _fitsEnginePort: MonitorFactory = createMonitor;

// Real HTTP servers on port 0 and real closed ports; real time with generous bounds.

const { defer, serve, monitor: startMonitor } = monitorHarness();

function monitor(input: unknown): { monitor: Monitor; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  return { monitor: startMonitor(input, (e) => events.push(e)), events };
}

const results = (events: EngineEvent[], check?: string) =>
  events.flatMap((e) => (e.type === "check.result" && (check === undefined || e.check === check) ? [e] : []));
const transitions = (events: EngineEvent[], service: string) =>
  events.flatMap((e) => (e.type === "service.status" && e.service === service ? [`${e.from}→${e.to}`] : []));

describe("monitor", () => {
  it("keeps one run in flight per check against a hanging target and reports unhealthy at the timeout", async () => {
    // One ordered log of request arrivals (server, same process) and results (monitor).
    const log: string[] = [];
    const hang = await serve((req) => log.push(`req ${req.url}`));
    const events: EngineEvent[] = [];
    const m = createMonitor({
      config: ConfigSchema.parse({
        settings: { max_concurrent_probes: 1 },
        services: {
          api: {
            kind: "external",
            checks: [
              {
                kind: "http",
                name: "a",
                url: `${hang.url}/a`,
                interval: 20,
                timeout: 300,
                failure_threshold: 1,
              },
              {
                kind: "http",
                name: "b",
                url: `${hang.url}/b`,
                interval: 20,
                timeout: 300,
                failure_threshold: 1,
              },
            ],
          },
        },
      }),
      onEvent: (e) => {
        events.push(e);
        if (e.type === "check.result") log.push(`res /${e.check}`);
      },
    });
    defer(() => m.stop());
    m.start();
    expect(await waitFor(() => results(events).length >= 4, 20_000)).toBe(true);
    await m.stop();
    // Concurrency bound 1 and single flight: every request is answered (timed out) before the next starts.
    const settled = log.slice(0, log.length - (log.length % 2));
    settled.forEach((line, i) => {
      if (i % 2 === 1) expect(line).toBe(settled[i - 1]?.replace("req", "res"));
      else expect(line.startsWith("req ")).toBe(true);
    });
    for (const r of results(events))
      expect(r.result).toMatchObject({ status: "unhealthy", message: "timed out after 300ms" });
    expect(m.service("api")?.status).toBe("unhealthy");
    expect(m.service("api")?.reason).toMatch(/^[ab]: timed out after 300ms$/);
  });

  it("suppresses state changes of a flapping target with success and failure thresholds", async () => {
    // Two successes, then alternating fail/ok: never three failures in a row.
    const flap = await serve((_req, res, hit) => {
      res.writeHead(hit <= 2 || hit % 2 === 0 ? 200 : 500);
      res.end();
    });
    const { monitor: m, events } = monitor({
      services: {
        web: {
          kind: "external",
          checks: [{ kind: "http", url: flap.url, interval: 10, success_threshold: 2, failure_threshold: 3 }],
        },
      },
    });
    m.start();
    expect(await waitFor(() => results(events).length >= 12, 20_000)).toBe(true);
    await m.stop();
    const raw = results(events).map((r) => r.result.status);
    expect(raw).toContain("unhealthy");
    expect(transitions(events, "web")).toEqual(["unknown→healthy"]);
    expect(results(events)[0]?.state).toBe("unknown"); // one success is below success_threshold 2
  });

  it("derives blocked with the root cause through chains of dependencies", async () => {
    const ok = await serve((_req, res) => res.end("ok"));
    const port = await closedPort();
    const { monitor: m, events } = monitor({
      services: {
        redis: { kind: "external", checks: [{ kind: "tcp", port, failure_threshold: 1 }] },
        "core-api": { kind: "external", depends_on: ["redis"], checks: [{ kind: "http", url: ok.url }] },
        agent: { kind: "external", depends_on: ["core-api"], checks: [{ kind: "http", url: ok.url }] },
        lone: { kind: "external", checks: [{ kind: "http", url: ok.url }] },
      },
    });
    await m.runNow();
    const snap = m.snapshot();
    expect(snap.map((s) => [s.name, s.wave, s.status])).toEqual([
      ["lone", 0, "healthy"],
      ["redis", 0, "unhealthy"],
      ["core-api", 1, "blocked"],
      ["agent", 2, "blocked"],
    ]);
    expect(m.service("agent")).toMatchObject({ blockedBy: ["redis"], reason: "blocked by redis" });
    expect(m.service("core-api")).toMatchObject({ blockedBy: ["redis"], reason: "blocked by redis" });
    const event = events.find((e) => e.type === "service.status" && e.service === "agent");
    expect(event).toMatchObject({ from: "unknown", to: "blocked", blockedBy: ["redis"] });
  });

  it("shows stopped and starting from the lifecycle and does not count failures while stopped", async () => {
    const port = await closedPort();
    const ok = await serve((_req, res) => res.end("ok"));
    const { monitor: m } = monitor({
      services: {
        db: { kind: "process", command: "true", checks: [{ kind: "tcp", port, failure_threshold: 1 }] },
        app: { kind: "external", depends_on: ["db"], checks: [{ kind: "http", url: ok.url }] },
      },
    });
    m.setRuntime("db", { state: "stopped" });
    await m.runNow();
    expect(m.service("db")).toMatchObject({
      status: "stopped",
      checks: [{ state: "unknown", consecutiveFailures: 0 }],
    });
    expect(m.service("app")).toMatchObject({ status: "blocked", blockedBy: ["db"] });
    m.setRuntime("db", { state: "starting", pid: 42 });
    expect(m.service("db")).toMatchObject({ status: "starting", runtime: { state: "starting", pid: 42 } });
    m.setActiveAction("db", { id: "a1", kind: "start", requestedBy: "cli" });
    expect(m.service("db")?.activeAction).toEqual({ id: "a1", kind: "start", requestedBy: "cli" });
  });

  it("opens the circuit after consecutive failures and skips runs while open", async () => {
    const port = await closedPort();
    const { monitor: m, events } = monitor({
      services: {
        gone: {
          kind: "external",
          checks: [
            { kind: "tcp", port, failure_threshold: 1, circuit_breaker: { failures: 2, cooldown: "1h" } },
          ],
        },
      },
    });
    await m.runNow();
    await m.runNow();
    expect(m.service("gone")?.checks[0]?.circuit).toBe("open");
    await m.runNow();
    expect(results(events)).toHaveLength(2);
    expect(results(events).map((r) => r.circuit)).toEqual(["closed", "open"]);
  });

  it("lets waitHealthy run a check whose circuit is open, and closes it on success", async () => {
    let up = false;
    const server = await serve((_req, res) => {
      res.writeHead(up ? 200 : 503);
      res.end();
    });
    const { monitor: m } = monitor({
      services: {
        api: {
          kind: "external",
          checks: [
            {
              kind: "http",
              url: server.url,
              failure_threshold: 1,
              circuit_breaker: { failures: 1, cooldown: "1h" },
            },
          ],
        },
      },
    });
    await m.runNow();
    expect(m.service("api")?.checks[0]?.circuit).toBe("open");
    up = true;
    const result = await m.waitHealthy("api", { signal: new AbortController().signal, timeoutMs: 20_000 });
    expect(result).toEqual({ ok: true });
    expect(m.service("api")?.checks[0]).toMatchObject({ circuit: "closed", state: "healthy" });
  });

  it("stop() aborts in-flight probes and waits for them", async () => {
    const hang = await serve(() => {});
    const { monitor: m } = monitor({
      services: { api: { kind: "external", checks: [{ kind: "http", url: hang.url, timeout: "60s" }] } },
    });
    const run = m.runNow();
    expect(await waitFor(() => hang.open === 1)).toBe(true);
    await m.stop();
    await run;
    expect(await waitFor(() => hang.open === 0)).toBe(true);
  });
});

describe("monitor: which results count toward history", () => {
  it("marks failures of a stopped or still-starting service as not counted, and real failures as counted", async () => {
    const port = await closedPort();
    const { monitor: m, events } = monitor({
      services: {
        svc: {
          kind: "process",
          command: "true",
          checks: [{ kind: "tcp", name: "port", port, interval: 50, timeout: 500, start_period: 60_000 }],
        },
      },
    });
    m.setRuntime("svc", { state: "stopped" });
    await m.runNow("svc");
    m.setRuntime("svc", { state: "starting" });
    await m.runNow("svc");
    const expected = results(events, "port");
    expect(expected.map((r) => [r.result.status, r.counted])).toEqual([
      ["unhealthy", false],
      ["unhealthy", false],
    ]);
    // Running and past its start period: a failure is real downtime.
    const { monitor: m2, events: events2 } = monitor({
      services: {
        svc: { kind: "external", checks: [{ kind: "tcp", name: "port", port, interval: 50, timeout: 500 }] },
      },
    });
    await m2.runNow("svc");
    expect(results(events2, "port").map((r) => [r.result.status, r.counted])).toEqual([["unhealthy", true]]);
  });
});

describe("monitor snapshot", () => {
  it("lists a staged check's stage names before any run, for the ladder", () => {
    const { monitor: m } = monitor({
      services: {
        mm: {
          kind: "external",
          checks: [
            {
              kind: "staged",
              name: "startup",
              stages: [
                { name: "port listening", check: { kind: "tcp", port: 1 } },
                { name: "model loaded", check: { kind: "tcp", port: 2 } },
              ],
            },
          ],
        },
      },
    });
    expect(m.service("mm")?.checks[0]?.stages).toEqual(["port listening", "model loaded"]);
  });
});
