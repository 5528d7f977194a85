import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import type { EngineEvent } from "../events.ts";
import { monitorHarness } from "../testing/monitor.ts";
import { waitFor } from "../testing/wait.ts";
import { createMonitor, type Monitor } from "./monitor.ts";

/*
 * Two monitors sharing the probing of one stack, as two cluster instances do: a real HTTP target
 * counts who probes it; each monitor's own results are handed to the other as remote results.
 */

const { defer, serve } = monitorHarness();

describe("shared probing", () => {
  it("probes a service only where it is owned, shows the owner's results elsewhere, and moves on rebalance", async () => {
    let up = true;
    const hits = { a: 0, b: 0 };
    const target = await serve((req, res) => {
      const by = req.headers["x-by"] === "b" ? "b" : "a";
      hits[by]++;
      res.writeHead(up ? 200 : 503).end();
    });
    let owner: "a" | "b" = "a";
    const events = { a: [] as EngineEvent[], b: [] as EngineEvent[] };
    const monitors: Partial<Record<"a" | "b", Monitor>> = {};
    const make = (me: "a" | "b", other: "a" | "b") => {
      const m = createMonitor({
        config: ConfigSchema.parse({
          services: {
            api: {
              kind: "external",
              checks: [
                {
                  kind: "http",
                  url: `${target.url}/`,
                  headers: { "x-by": me },
                  interval: 50,
                  failure_threshold: 1,
                },
              ],
            },
            web: { kind: "external", depends_on: ["api"] },
          },
        }),
        sharing: { owns: () => owner === me },
        onEvent: (e) => {
          events[me].push(e);
          // Only own results travel, as on the cluster bus.
          if (e.type === "check.result" && !e.remote)
            if (e.checkState) monitors[other]?.applyRemoteResult({ ...e, state: e.checkState });
        },
      });
      defer(() => m.stop());
      monitors[me] = m;
      return m;
    };
    const a = make("a", "b");
    const b = make("b", "a");
    a.start();
    b.start();

    expect(await waitFor(() => b.service("api")?.status === "healthy")).toBe(true);
    up = false;
    // A failure probed by a alone turns api — and web, blocked by it — unhealthy on b too.
    expect(await waitFor(() => b.service("api")?.status === "unhealthy")).toBe(true);
    expect(b.service("web")?.blockedBy).toEqual(["api"]);
    expect(hits.b).toBe(0);
    expect(events.b.some((e) => e.type === "check.result" && e.remote)).toBe(true);
    expect(events.b.some((e) => e.type === "check.result" && !e.remote)).toBe(false);

    owner = "b";
    await Promise.all([a.rebalance(), b.rebalance()]);
    const before = hits.a;
    expect(await waitFor(() => hits.b > 2)).toBe(true);
    expect(hits.a).toBe(before);
    up = true;
    expect(await waitFor(() => a.service("api")?.status === "healthy")).toBe(true);
  });

  it("ignores a remote result for a check it probes itself, and one older than what it shows", async () => {
    const target = await serve((_req, res) => res.writeHead(200).end());
    const m = createMonitor({
      config: ConfigSchema.parse({
        services: {
          api: { kind: "external", checks: [{ kind: "http", url: `${target.url}/`, interval: 60_000 }] },
        },
      }),
      sharing: { owns: () => false },
      onEvent: () => {},
    });
    defer(() => m.stop());
    const state = {
      state: "unhealthy" as const,
      circuit: "closed" as const,
      consecutiveFailures: 3,
      consecutiveSuccesses: 0,
      periodStart: 0,
      startedOk: true,
    };
    const result = { status: "unhealthy" as const, latencyMs: 1, message: "down" };
    m.applyRemoteResult({ service: "api", check: "http", at: new Date(2000), result, state, counted: true });
    expect(m.service("api")?.status).toBe("unhealthy");
    m.applyRemoteResult({
      service: "api",
      check: "http",
      at: new Date(1000),
      result: { ...result, status: "healthy" },
      state: { ...state, state: "healthy", consecutiveFailures: 0 },
      counted: true,
    });
    expect(m.service("api")?.status).toBe("unhealthy");
  });
});
