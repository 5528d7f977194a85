import { describe, expect, it } from "vitest";
import type { ActionView } from "../../lib/contract.ts";
import { ActionTracker } from "./actions.ts";

const planned: ActionView = {
  id: "a1",
  kind: "restart",
  targets: ["api"],
  waves: [["api"]],
  requestedBy: "alice",
  startedAt: "2026-11-30T21:00:00.000Z",
  finishedAt: null,
  result: "running",
  message: null,
  steps: [],
};
const step = {
  service: "api",
  wave: 0,
  state: "stopping" as const,
  at: "2026-11-30T21:00:01.000Z",
  message: null,
  stage: null,
};

describe("actions another cluster member runs", () => {
  it("are mirrored from its deltas, steps and result included, and are not this instance's to cancel", () => {
    const tracker = new ActionTracker();
    tracker.applyRemote({ type: "planned", action: planned });
    tracker.applyRemote({ type: "step", actionId: "a1", step });
    expect(tracker.get("a1")).toMatchObject({ result: "running", steps: [step] });
    tracker.applyRemote({
      type: "finished",
      actionId: "a1",
      result: "succeeded",
      message: "done",
      at: "2026-11-30T21:00:02.000Z",
    });
    expect(tracker.get("a1")).toMatchObject({
      result: "succeeded",
      message: "done",
      finishedAt: "2026-11-30T21:00:02.000Z",
    });
    expect(tracker.runsHere("a1")).toBe(false);
    expect(tracker.list().map((a) => a.id)).toEqual(["a1"]);
    // The delta it was built from stays the sender's: later steps do not write into it.
    expect(planned.steps).toEqual([]);
  });

  it("ignore a step or finish for an action never announced, and cannot overwrite a local one's progress", () => {
    const tracker = new ActionTracker();
    tracker.applyRemote({ type: "step", actionId: "nope", step });
    expect(tracker.get("nope")).toBeUndefined();
    tracker.apply({
      type: "action.planned",
      at: new Date("2026-11-30T21:00:00.000Z"),
      plan: { actionId: "local", kind: "start", targets: ["api"], waves: [["api"]], requestedBy: "bob" },
    });
    tracker.applyRemote({
      type: "finished",
      actionId: "local",
      result: "failed",
      message: "x",
      at: "2026-11-30T21:00:02.000Z",
    });
    expect(tracker.get("local")?.result).toBe("running");
    expect(tracker.runsHere("local")).toBe(true);
  });
});
