import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../events.ts";
import { fixture, service, tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { createProcessRunner } from "./process.ts";

describe("process runner resource samples (real process tree)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  });

  it("reports a growing process tree as service.resources events, and stops after close", async () => {
    const events: EngineEvent[] = [];
    const runner = createProcessRunner({
      project: "t",
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(e),
      onExit: () => {},
      resourceIntervalMs: 150,
    });
    const svc = service({
      kind: "process",
      command: [process.execPath, fixture("../../resources/fixtures/hog.mjs")],
      env: { HOG_STEP_MB: "16", HOG_MAX_MB: "192" },
    });
    cleanups.push(async () => {
      await runner.stop("hog", svc);
      await runner.close();
    });
    await runner.start("hog", svc);
    const samples = () =>
      events.flatMap((e) => (e.type === "service.resources" && e.service === "hog" ? [e] : []));
    // Growth, not a level: the first sample may come late on a loaded machine, so compare it with later ones.
    const grown = () => (samples().at(-1)?.memoryBytes ?? 0) - (samples()[0]?.memoryBytes ?? 0);
    await until(() => grown() >= 64 * 1024 * 1024, 15_000);
    expect(samples().at(-1)?.pids).toBe(2);
    await runner.stop("hog", svc);
    await runner.close();
    const count = samples().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(samples().length).toBe(count);
  });
});
