import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryContext, sampleNotification } from "../../testing/notification.ts";
import { CommandConfig, commandChannel } from "./command.ts";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vigil-cmd-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const command = (argv: string[], env: Record<string, string> = {}) =>
  CommandConfig.parse({ kind: "command", command: argv, env });

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

describe("command channel", () => {
  it("passes the Notification JSON on stdin (cat echoes it back)", async () => {
    const n = sampleNotification();
    const outcome = await commandChannel.send(command(["cat"]), n, deliveryContext());
    expect(outcome).toMatchObject({ ok: true });
    expect(JSON.parse(outcome.ok ? (outcome.response ?? "") : "")).toEqual(n);
  });

  it("runs argv without a shell: metacharacters are plain arguments", async () => {
    const outcome = await commandChannel.send(
      command(["echo", "$HOME; rm -rf /"]),
      sampleNotification(),
      deliveryContext(),
    );
    expect(outcome).toMatchObject({ ok: true, response: "$HOME; rm -rf /" });
  });

  it("a non-zero exit fails with the code and stderr tail; 75 is retryable, 3 is not", async () => {
    const three = script("three.sh", 'cat >/dev/null; echo "no route to pager" >&2; exit 3');
    const failed = await commandChannel.send(command([three]), sampleNotification(), deliveryContext());
    expect(failed).toMatchObject({
      ok: false,
      retryable: false,
      error: `${three}: exit code 3; stderr: no route to pager`,
    });

    const later = script("tempfail.sh", "exit 75");
    expect(
      await commandChannel.send(command([later]), sampleNotification(), deliveryContext()),
    ).toMatchObject({
      ok: false,
      retryable: true,
      error: `${later}: exit code 75`,
    });
  });

  it("a timeout kills the whole process group, including forked children", async () => {
    const pidFile = join(dir, "child.pid");
    const sleeper = script("sleeper.sh", `sleep 30 & echo $! > ${pidFile}; wait`);
    const outcome = await commandChannel.send(
      command([sleeper]),
      sampleNotification(),
      deliveryContext(1500),
    );
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(outcome.ok ? "" : outcome.error).toMatch(/^timed out after 1500ms; process group killed/);
    const child = Number(readFileSync(pidFile, "utf8"));
    await expect.poll(() => alive(child), { timeout: 5000 }).toBe(false);
  });

  it("a missing program is not retryable; env secrets stay out of the outcome", async () => {
    expect(
      await commandChannel.send(command(["/nonexistent/notify"]), sampleNotification(), deliveryContext()),
    ).toMatchObject({
      ok: false,
      retryable: false,
    });
    const leak = script("leak.sh", 'echo "token is $PAGER_TOKEN" >&2; exit 1');
    const outcome = await commandChannel.send(
      command([leak], { PAGER_TOKEN: "s3cr3t-pager-token" }),
      sampleNotification(),
      deliveryContext(),
    );
    expect(outcome.ok ? "" : outcome.error).toBe(`${leak}: exit code 1; stderr: token is ***`);
  });
});

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill(0); ps tells whether it is really running.
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return state !== "" && !state.startsWith("Z");
  } catch {
    return false;
  }
}
