import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { harness } from "./fixtures/engine-harness.ts";
import { fixture, until } from "./fixtures/helpers.ts";

describe("restart policy during maintenance", () => {
  const open: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close().catch(() => {});
  });

  const flaky = (counter: string) => ({
    kind: "process",
    command: [process.execPath, fixture("crasher.mjs")],
    env: { COUNTER_FILE: counter, CRASHES: "0", STABLE_MS: "200" },
    restart: { policy: "always", backoff: { initial: "50ms", factor: 2, max: "200ms" } },
  });
  const window = (pause: boolean) => ({
    maintenance: [
      { all: true, from: "2020-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", pause_restarts: pause },
    ],
  });

  for (const pause of [true, false]) {
    it(`${pause ? "holds" : "keeps"} restarts in a window with pause_restarts: ${pause}`, async () => {
      const probe = harness({});
      const counter = join(probe.stateDir, "runs");
      await probe.close();
      const h = harness({ flaky: flaky(counter) }, undefined, window(pause));
      open.push(h);
      expect((await h.engine.start().done).result).toBe("succeeded");
      const restarts = () => h.events.filter((e) => e.type === "service.restarted").length;
      if (pause) {
        await until(() => h.engine.snapshot()[0]?.runtime.state === "exited", 10_000);
        // Backoff is 50 ms: a held policy would have restarted it many times over by now.
        await new Promise((r) => setTimeout(r, 1000));
        expect(restarts()).toBe(0);
        expect(readFileSync(counter, "utf8")).toBe("1");
      } else {
        await until(() => restarts() >= 2, 10_000);
        expect(restarts()).toBeGreaterThanOrEqual(2);
      }
    });
  }
});
