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

  it("runs a check it takes over when the previous owner's last result says it is due, not at a random point", async () => {
    const hits: { path: string; at: number }[] = [];
    const target = await serve((req, res) => {
      hits.push({ path: req.url ?? "", at: Date.now() });
      res.writeHead(200).end();
    });
    const interval = 600_000;
    let mine = false;
    const m = createMonitor({
      config: ConfigSchema.parse({
        services: {
          due: { kind: "external", checks: [{ kind: "http", url: `${target.url}/due`, interval }] },
          fresh: { kind: "external", checks: [{ kind: "http", url: `${target.url}/fresh`, interval }] },
        },
      }),
      sharing: { owns: () => mine },
      onEvent: () => {},
    });
    defer(() => m.stop());
    m.start();
    const state = {
      state: "healthy" as const,
      circuit: "closed" as const,
      consecutiveFailures: 0,
      consecutiveSuccesses: 3,
      periodStart: 0,
      startedOk: true,
    };
    const result = { status: "healthy" as const, latencyMs: 1, message: "ok" };
    // "due" was last probed by its old owner almost one interval ago; "fresh" just now.
    m.applyRemoteResult({
      service: "due",
      check: "http",
      at: new Date(Date.now() - interval + 300),
      result,
      state,
      counted: true,
    });
    m.applyRemoteResult({ service: "fresh", check: "http", at: new Date(), result, state, counted: true });
    mine = true;
    const t = Date.now();
    await m.rebalance();
    // At a random point of a ten-minute interval, a run within 3 s would be a 1-in-200 chance.
    expect(await waitFor(() => hits.length >= 1, 3000)).toBe(true);
    expect((hits[0]?.at ?? 0) - t).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hits.map((h) => h.path)).toEqual(["/due"]);
  });
});
