import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dockerAvailable, dockerCli, TEST_IMAGE_V1 } from "../../testing/docker.ts";
import { runOnce } from "../run-once.ts";
import { containerTask } from "./container.ts";

/* One-off job containers on the real Docker engine, from the local busybox image. */

const run = (job: string, command: string, timeoutMs = 20_000, env: Record<string, string> = {}) =>
  runOnce({
    job,
    runId: randomUUID(),
    trigger: "test",
    attempt: 1,
    timeoutMs,
    signal: new AbortController().signal,
    task: containerTask({ image: TEST_IMAGE_V1, command, env, volumes: [], project: "jobtest" }),
  });

const leftovers = (job: string) => dockerCli("ps", "-aq", "--filter", `label=vigil.job=${job}`);

describe.skipIf(!dockerAvailable())("container job (real Docker)", () => {
  it("runs the image once, captures its output and exit code, and removes the container", async () => {
    const job = `ok-${process.pid}`;
    const result = await run(job, "echo hello $WHO; echo warn >&2; exit 0", 20_000, { WHO: "vigil" });
    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    expect(result.outputTail).toEqual(expect.arrayContaining(["hello vigil", "warn"]));
    expect(leftovers(job)).toBe("");
  });

  it("records a failing container's exit code", async () => {
    const job = `bad-${process.pid}`;
    const result = await run(job, "echo broken; exit 3");
    expect(result).toMatchObject({ outcome: "failed", exitCode: 3 });
    expect(result.outputTail).toContain("broken");
    expect(leftovers(job)).toBe("");
  });

  it("kills a container still running at its timeout", async () => {
    const job = `slow-${process.pid}`;
    const result = await run(job, "echo started; sleep 60", 1_500);
    expect(result).toMatchObject({ outcome: "timeout", signal: "SIGKILL", exitCode: 137 });
    expect(result.outputTail).toContain("started");
    expect(leftovers(job)).toBe("");
  });

  it("fails with the engine's message for an image that is not there", async () => {
    const result = await runOnce({
      job: `missing-${process.pid}`,
      runId: randomUUID(),
      trigger: "test",
      attempt: 1,
      timeoutMs: 20_000,
      signal: new AbortController().signal,
      task: containerTask({ image: "vigil/absent:0", env: {}, volumes: [], project: "jobtest" }),
    });
    expect(result).toMatchObject({ outcome: "failed", exitCode: null });
    expect(result.outputTail.at(-1)).toMatch(
      /could not create a container of vigil\/absent:0: .*(No such image|not found)/i,
    );
  });
});
