import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { harness } from "./fixtures/engine-harness.ts";
import { tempStateDir, until } from "./fixtures/helpers.ts";

/** `condition: completed` (compose's service_completed_successfully) with real processes. */
describe("completed dependencies", () => {
  const open: { close: () => Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  function stack(jobExit: number) {
    const dir = tempStateDir();
    const done = join(dir, "done");
    const seen = join(dir, "seen");
    const job = `setTimeout(() => { require("fs").writeFileSync(${JSON.stringify(done)}, "x"); process.exit(${jobExit}); }, 400)`;
    const app = `require("fs").writeFileSync(${JSON.stringify(seen)}, String(require("fs").existsSync(${JSON.stringify(done)}))); setInterval(() => {}, 1000)`;
    const h = harness({
      job: { kind: "process", command: [process.execPath, "-e", job], startup_timeout: "10s" },
      app: {
        kind: "process",
        command: [process.execPath, "-e", app],
        depends_on: { job: { condition: "completed" } },
        stop_grace: "1s",
      },
    });
    open.push(h);
    return { ...h, seen };
  }

  it("starts the dependent only after the job exited with code 0", async () => {
    const { engine, seen, steps } = stack(0);
    expect(await engine.start([]).done).toMatchObject({ result: "succeeded" });
    expect(steps().find((s) => s.service === "app" && s.state === "waiting")?.message).toBe(
      "waiting for job (completed)",
    );
    await until(() => existsSync(seen), 10_000);
    expect(readFileSync(seen, "utf8")).toBe("true");
  });

  it("does not start the dependent when the job fails", async () => {
    const { engine, steps } = stack(3);
    await engine.start([]).done;
    expect(steps().find((s) => s.service === "app" && s.state === "skipped")?.message).toBe(
      "dependency job failed",
    );
  });
});
