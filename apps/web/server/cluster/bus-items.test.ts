import type { EngineEvent } from "@vigil/orchestrator";
import { describe, expect, it } from "vitest";
import { pingItem, readItems, resultItem } from "./bus-items.ts";

const state = {
  state: "unhealthy" as const,
  circuit: "open" as const,
  consecutiveFailures: 4,
  consecutiveSuccesses: 0,
  periodStart: 1000,
  startedOk: true,
  openedAt: 2000,
};
const result = (over: Partial<Extract<EngineEvent, { type: "check.result" }>> = {}): EngineEvent => ({
  type: "check.result",
  service: "api",
  check: "health",
  at: new Date("2026-11-30T21:00:00.000Z"),
  result: { status: "unhealthy", latencyMs: 12.5, message: "HTTP 503", values: { rtt_ms: 3 } },
  circuit: "open",
  state: "unhealthy",
  counted: true,
  checkState: state,
  ...over,
});
/** What crosses the wire: JSON text, parsed on the other side. */
const wire = (item: unknown) => JSON.parse(JSON.stringify(item)) as unknown;

describe("cluster bus items", () => {
  it("carries an own result with its decided state across the wire, and nothing for a remote one", () => {
    const { received, invalid } = readItems([wire(resultItem(result()))]);
    expect(invalid).toBe(0);
    expect(received).toEqual([
      {
        kind: "result",
        result: {
          service: "api",
          check: "health",
          at: new Date("2026-11-30T21:00:00.000Z"),
          result: { status: "unhealthy", latencyMs: 12.5, message: "HTTP 503", values: { rtt_ms: 3 } },
          state,
          counted: true,
        },
      },
    ]);
    expect(resultItem(result({ remote: true }))).toBeUndefined();
  });

  it("cuts long messages and leaves out details too large to travel", () => {
    const long = result({
      result: {
        status: "unhealthy",
        latencyMs: 1,
        message: "x".repeat(5000),
        details: { body: "y".repeat(9000) },
      },
    });
    const item = resultItem(long);
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(2000);
    const small = resultItem(
      result({ result: { status: "healthy", latencyMs: 1, message: "ok", details: { code: 200 } } }),
    );
    expect(JSON.stringify(small)).toContain('"code":200');
  });

  it("relays a ping with its exit code and a bounded body", () => {
    const item = pingItem({
      service: "cron",
      check: "push",
      ping: { kind: "fail", exitCode: 2, body: "z".repeat(5000) },
    });
    const [got] = readItems([wire(item)]).received;
    expect(got).toMatchObject({
      kind: "ping",
      service: "cron",
      check: "push",
      ping: { kind: "fail", exitCode: 2 },
    });
    expect(got?.kind === "ping" && (got.ping.body?.length ?? 0) <= 2000).toBe(true);
  });

  it("counts what does not parse instead of applying it", () => {
    const bad = [{ t: "result", service: "api" }, { t: "nope" }, "text", wire(resultItem(result()))];
    const { received, invalid } = readItems(bad);
    expect(invalid).toBe(3);
    expect(received).toHaveLength(1);
  });
});
