import { type EngineEvent, Redactor } from "@vigil/orchestrator";
import { describe, expect, it } from "vitest";
import { redactEvent } from "./redact.ts";

const SECRET = "s3cr3t-value-42";
const redactor = new Redactor([SECRET, "api"]);
const at = new Date("2026-12-01T00:00:00Z");

function result(over: Partial<Extract<EngineEvent, { type: "check.result" }>["result"]> = {}): EngineEvent {
  return {
    type: "check.result",
    service: "api",
    check: "health",
    at,
    result: { status: "unhealthy", latencyMs: 3, message: "HTTP 500", ...over },
    circuit: "closed",
    state: "unhealthy",
    counted: true,
    checkState: {
      state: "unhealthy",
      circuit: "closed",
      consecutiveFailures: 1,
      consecutiveSuccesses: 0,
      periodStart: 0,
      startedOk: true,
    },
  };
}

describe("redactEvent", () => {
  it("masks a check result's message, details and stage, and leaves the engine's object as it was", () => {
    const event = result({
      message: `GET http://x/?token=${SECRET}: refused`,
      details: { httpStatus: 500, health: { checks: [{ note: `key ${SECRET}` }] } },
      stage: { reached: `stage ${SECRET}`, index: 1, total: 2 },
      values: { rtt_ms: 1.5 },
    });
    const out = redactEvent(event, redactor.redact);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out).toMatchObject({
      result: {
        message: expect.stringContaining("***"),
        details: { httpStatus: 500, health: { checks: [{ note: "key ***" }] } },
        stage: { reached: "stage ***", index: 1, total: 2 },
        values: { rtt_ms: 1.5 },
      },
      at,
    });
    if (event.type === "check.result") expect(event.result.message).toContain(SECRET);
  });

  it("keeps a check result's names as they are: config keys, not secret values", () => {
    // "api" is also a secret value here; the service of that name must still be "api" on the board.
    const out = redactEvent(result(), redactor.redact);
    expect(out).toMatchObject({ service: "api", check: "health", state: "unhealthy", circuit: "closed" });
  });

  it("masks free text of the other events and passes resource samples through", () => {
    const log: EngineEvent = {
      type: "service.log",
      service: "worker",
      stream: "stdout",
      line: `token ${SECRET}`,
      at,
    };
    expect(redactEvent(log, redactor.redact)).toMatchObject({ line: "token ***" });
    const sample: EngineEvent = {
      type: "service.resources",
      service: "worker",
      at,
      cpuPercent: 1,
      memoryBytes: 2,
    };
    expect(redactEvent(sample, redactor.redact)).toBe(sample);
  });
});
