import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "../events.ts";
import { alive, fixture, service, tempStateDir, until } from "../lifecycle/fixtures/helpers.ts";
import { createProcessRunner } from "./process.ts";
import type { ExitInfo, Runner } from "./types.ts";

describe("process runner", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  });

  function setup() {
    const stateDir = tempStateDir();
    const events: EngineEvent[] = [];
    const exits: ExitInfo[] = [];
    const runner = createProcessRunner({
      project: "t",
      stateDir,
      onEvent: (e) => events.push(e),
      onExit: (x) => exits.push(x),
    });
    return { stateDir, events, exits, runner };
  }

  function track(runner: Runner, name: string, svc: ReturnType<typeof service>) {
    cleanups.push(async () => {
      await runner.stop(name, svc);
      await runner.close();
    });
  }

  it("kills the whole group, grandchildren included, on stop", async () => {
    const { runner, events, exits } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, fixture("forker.mjs")],
      stop_grace: "5s",
    });
    track(runner, "forker", svc);
    const started = await runner.start("forker", svc);
    const pid = started.pid ?? 0;
    await until(() => events.some((e) => e.type === "service.log" && e.line.startsWith("grandchild")));
    const line = runner.logs("forker").find((l) => l.startsWith("grandchild")) ?? "";
    const grandchild = Number(line.split(" ")[1]);
    expect(alive(pid) && alive(grandchild)).toBe(true);
    const stopped = await runner.stop("forker", svc);
    expect(stopped.state).toBe("stopped");
    expect(alive(pid)).toBe(false);
    expect(alive(grandchild)).toBe(false);
    expect(exits.at(-1)).toMatchObject({ service: "forker", requested: true, signal: "SIGTERM" });
  });

  it("SIGKILLs a process that ignores SIGTERM after stop_grace", async () => {
    const { runner, events } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, fixture("stubborn.mjs")],
      stop_grace: "500ms",
    });
    track(runner, "stubborn", svc);
    const { pid = 0 } = await runner.start("stubborn", svc);
    await until(() => events.some((e) => e.type === "service.log" && e.line === "ready"));
    const stopped = await runner.stop("stubborn", svc);
    expect(alive(pid)).toBe(false);
    expect(stopped.signal).toBe("SIGKILL");
    expect(runner.logs("stubborn")).toContain("ignoring SIGTERM");
  });

  it("runs a shell command string with env and records the exit code", async () => {
    const { runner, exits, stateDir } = setup();
    const svc = service({
      kind: "process",
      command: 'echo "hello $WHO" && echo oops >&2 && exit 7',
      env: { WHO: "vigil" },
    });
    track(runner, "once", svc);
    await runner.start("once", svc);
    await until(() => exits.length === 1);
    expect(exits[0]).toMatchObject({ code: 7, requested: false });
    await until(() => runner.logs("once").length === 2);
    expect(runner.logs("once")).toEqual(["hello vigil", "oops"]);
    expect((await runner.status("once", svc)).exitCode).toBe(7);
    expect(existsSync(join(stateDir, "logs", "once.log"))).toBe(true);
  });

  it("rotates the log file at max_size keeping max_files", async () => {
    const { runner, exits, stateDir } = setup();
    const svc = service({
      kind: "process",
      command:
        "i=0; while [ $i -lt 200 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done",
      log: { max_size: 1024, max_files: 3 },
    });
    track(runner, "chatty", svc);
    await runner.start("chatty", svc);
    await until(() => exits.length === 1 && runner.logs("chatty", 1000).length === 200);
    const files = readdirSync(join(stateDir, "logs")).sort();
    expect(files).toEqual(["chatty.log", "chatty.log.1", "chatty.log.2"]);
  });

  it("adopts a still-running service from its pid file instead of starting it twice", async () => {
    const { runner, stateDir } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, fixture("stubborn.mjs")],
      stop_grace: "200ms",
    });
    const first = await runner.start("keep", svc);
    await runner.close();
    const second = createProcessRunner({ project: "t", stateDir, onEvent: () => {}, onExit: () => {} });
    track(second, "keep", svc);
    const attached = await second.attach("keep", svc);
    expect(attached).toMatchObject({ state: "running", pid: first.pid, adopted: true });
    const again = await second.start("keep", svc);
    expect(again.pid).toBe(first.pid);
    await second.stop("keep", svc);
    expect(alive(first.pid ?? 0)).toBe(false);
  });

  it("tells a stop made by another Vigil from a crash of an adopted service", async () => {
    const { runner, stateDir } = setup();
    const svc = service({
      kind: "process",
      command: [process.execPath, fixture("stubborn.mjs")],
      stop_grace: "200ms",
    });
    const first = await runner.start("shared", svc);
    const exits: ExitInfo[] = [];
    const watcher = createProcessRunner({
      project: "t",
      stateDir,
      onEvent: () => {},
      onExit: (x) => exits.push(x),
    });
    track(watcher, "shared", svc);
    expect(await watcher.attach("shared", svc)).toMatchObject({ pid: first.pid, adopted: true });
    await runner.stop("shared", svc);
    await until(() => exits.length > 0);
    expect(exits[0]).toMatchObject({ service: "shared", requested: true });
  });

  it("keeps a service running after the Vigil that started it exits, and the next one follows its output", async () => {
    const stateDir = tempStateDir();
    const tsx = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
    const pid = Number(execFileSync(tsx, [fixture("vigil-once.ts"), stateDir], { encoding: "utf8" }).trim());
    const svc = service({ kind: "process", command: "unused", stop_grace: "2s" });
    const events: EngineEvent[] = [];
    const next = createProcessRunner({
      project: "t",
      stateDir,
      onEvent: (e) => events.push(e),
      onExit: () => {},
    });
    track(next, "chatty", svc);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid)).toBe(true);
    expect(await next.attach("chatty", svc)).toMatchObject({ state: "running", pid, adopted: true });
    await until(
      () => events.filter((e) => e.type === "service.log" && e.line.startsWith("tick")).length >= 3,
    );
    await next.stop("chatty", svc);
    expect(alive(pid)).toBe(false);
  });
});
