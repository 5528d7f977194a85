import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import { CommandCheck } from "./command.ts";
import { runCheck } from "./run.ts";

const dir = mkdtempSync(join(tmpdir(), "vigil-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const command = (input: Record<string, unknown>) => CommandCheck.parse({ kind: "command", ...input });

/** Alive and not a zombie (an orphan reparented to a non-reaping pid 1 lingers as Z). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("command probe (host)", () => {
  it("judges exit codes and output", async () => {
    expect(await runCheck(command({ command: "echo ready" }), { timeoutMs: 5000 })).toMatchObject({
      status: "healthy",
      message: "exit 0: ready",
    });
    expect(
      await runCheck(command({ command: ["sh", "-c", "echo boom >&2; exit 3"] }), { timeoutMs: 5000 }),
    ).toMatchObject({
      status: "unhealthy",
      message: 'command "sh -c echo boom >&2; exit 3" exited 3 (expected 0): boom',
    });
    expect(
      (await runCheck(command({ command: "exit 3", expect_exit: [0, 3] }), { timeoutMs: 5000 })).status,
    ).toBe("healthy");
    const miss = await runCheck(command({ command: "echo up", output_contains: "ready" }), {
      timeoutMs: 5000,
    });
    expect(miss).toMatchObject({ status: "unhealthy", message: 'output does not contain "ready"' });
    const regex = await runCheck(command({ command: "echo 'conns=12'", output_regex: "conns=\\d+" }), {
      timeoutMs: 5000,
    });
    expect(regex.status).toBe("healthy");
  });

  it("passes env and cwd", async () => {
    const result = await runCheck(
      command({ command: 'echo "$GREETING $(pwd)"', env: { GREETING: "hi" }, cwd: dir }),
      {
        timeoutMs: 5000,
      },
    );
    expect(result).toMatchObject({ status: "healthy", message: `exit 0: hi ${dir}` });
  });

  it("reports a missing executable", async () => {
    const result = await runCheck(command({ command: ["/nonexistent/vigil-probe"] }), { timeoutMs: 5000 });
    expect(result.status).toBe("unhealthy");
    expect(result.message).toContain("ENOENT");
  });

  it("kills a command that ignores its timeout, with its whole process group", async () => {
    const pidFile = join(dir, "child.pid");
    const script = `trap '' TERM INT; sleep 300 & echo $! > ${pidFile}; wait`;
    const result = await runCheck(command({ command: script }), { timeoutMs: 2000 });
    expect(result).toMatchObject({ status: "unhealthy", message: "timed out after 2000ms" });
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    expect(pid).toBeGreaterThan(0);
    expect(await waitFor(() => !alive(pid), 10_000)).toBe(true);
  });
});
