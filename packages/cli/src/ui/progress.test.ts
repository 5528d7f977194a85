import type { ActionPlan, EngineEvent } from "@vigil/orchestrator";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../io.ts";
import { createPalette, stripAnsi } from "./color.ts";
import { createProgress } from "./progress.ts";

const plan: ActionPlan = {
  actionId: "act_1",
  kind: "start",
  targets: [],
  waves: [["redis"], ["api", "model"]],
  requestedBy: "cli",
};
const t0 = Date.parse("2026-11-23T10:00:00Z");
const step = (service: string, state: string, ms: number, extra: Partial<EngineEvent> = {}): EngineEvent =>
  ({
    type: "action.step",
    actionId: "act_1",
    service,
    wave: service === "redis" ? 0 : 1,
    state,
    at: new Date(t0 + ms),
    ...extra,
  }) as EngineEvent;

describe("progress", () => {
  it("prints one aligned line per step when not a terminal, with stages and a summary", () => {
    const io = memoryIo();
    const progress = createProgress(io, createPalette(false), () => t0);
    // The plan's first events arrive before the caller knows the action id: they are buffered.
    progress.onEvent(step("redis", "planned", 0));
    progress.follow(plan, false);
    progress.onEvent(step("redis", "healthy", 20, { message: "external" }));
    progress.onEvent(step("model", "starting", 1200, { stage: "port listening" }));
    progress.onEvent({ ...step("other", "starting", 5), actionId: "act_2" } as EngineEvent);
    progress.onEvent(step("model", "healthy", 4500));
    progress.finish({
      actionId: "act_1",
      kind: "start",
      result: "succeeded",
      message: "started 3 services",
      durationMs: 4500,
      services: {},
    });
    expect(io.out()).toBe(
      [
        "Starting 3 services in 2 waves",
        "  wave 1: redis",
        "  wave 2: api, model",
        "   20ms  wave 1  redis  healthy   external",
        "   1.2s  wave 2  model  starting  stage: port listening",
        "   4.5s  wave 2  model  healthy",
        "✓ start succeeded in 4.5s: started 3 services",
        "",
      ].join("\n"),
    );
  });

  it("redraws a block in place on a terminal and restores the cursor", () => {
    const io = memoryIo({ tty: true });
    let now = t0;
    const progress = createProgress(io, createPalette(true), () => now);
    progress.follow(plan, true);
    progress.onEvent(step("api", "starting", 100));
    now = t0 + 2_000;
    progress.finish({
      actionId: "act_1",
      kind: "start",
      result: "failed",
      message: "api: not healthy",
      durationMs: 2000,
      services: {},
    });
    const out = io.out();
    expect(out).toContain("\x1b[?25l");
    expect(out).toContain("\x1b[5F\x1b[J");
    const plain = stripAnsi(out);
    expect(out).toContain("\x1b[?25h");
    expect(plain.endsWith("✗ start failed after 2.0s: api: not healthy\n")).toBe(true);
    expect(plain).toContain("joining running action act_1");
    expect(plain).toMatch(/wave 2\n {2}⠋ api {4}starting +1\.9s\n {2}· model {2}planned\n/);
  });

  it("collapses finished waves when the block would not fit the terminal", () => {
    const io = memoryIo({ tty: true });
    const small = { ...io, stdout: { ...io.stdout, rows: 6 } };
    const progress = createProgress(small, createPalette(false), () => t0);
    progress.follow(plan, false);
    progress.onEvent(step("redis", "healthy", 10));
    progress.onEvent(step("api", "starting", 20));
    progress.close();
    const last = io.out().split("\x1b[J").at(-1) ?? "";
    expect(stripAnsi(last)).toMatch(/^wave 1 {2}1 healthy\nwave 2\n {2}\S api {4}starting/);
  });
});
