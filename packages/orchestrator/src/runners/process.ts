import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { ProcessServiceConfig, ServiceConfig } from "../config/schema.ts";
import { LogSink } from "./log-sink.ts";
import { groupMembers, isAlive, signalGroup, startTimeOf, waitGroupGone } from "./process-group.ts";
import { PidFiles } from "./process-state.ts";
import { revisionOf } from "./revision.ts";
import type { Runner, RunnerContext, RunnerStatus } from "./types.ts";

/** How long SIGKILL may take to clear a group before stop reports survivors. */
const KILL_WAIT_MS = 5_000;
/** Adopted processes are not our children: their exit is noticed by polling. */
const ADOPTED_POLL_MS = 1_000;

interface Live {
  pid: number;
  startedAt: Date;
  revision: string;
  child?: ChildProcess;
  adopted: boolean;
  /** Set by stop(): the exit that follows is requested, not a crash. */
  stopping: boolean;
  exited: Promise<void>;
  poll?: NodeJS.Timeout;
}

function asProcess(service: ServiceConfig): ProcessServiceConfig {
  if (service.kind !== "process") throw new Error(`process runner got a ${service.kind} service`);
  return service;
}

/** Runs services as local process groups (`detached`), logging to `<stateDir>/logs`. */
export function createProcessRunner(ctx: RunnerContext): Runner {
  const live = new Map<string, Live>();
  const last = new Map<string, { exitCode: number | null; signal: string | null }>();
  const sinks = new Map<string, LogSink>();
  const pidFiles = new PidFiles(join(ctx.stateDir, "run"));

  function sinkFor(name: string, service: ProcessServiceConfig): LogSink {
    let sink = sinks.get(name);
    if (!sink) {
      sink = new LogSink({
        service: name,
        file: join(ctx.stateDir, "logs", `${name}.log`),
        maxSize: service.log.max_size,
        maxFiles: service.log.max_files,
        onEvent: ctx.onEvent,
      });
      sinks.set(name, sink);
    }
    return sink;
  }

  function status(name: string): RunnerStatus {
    const entry = live.get(name);
    if (entry) {
      return {
        state: entry.stopping ? "stopping" : "running",
        pid: entry.pid,
        startedAt: entry.startedAt,
        revision: entry.revision,
        adopted: entry.adopted,
      };
    }
    const ended = last.get(name);
    return { state: "stopped", exitCode: ended?.exitCode ?? null, signal: ended?.signal ?? null };
  }

  function ended(name: string, entry: Live, code: number | null, signal: string | null): void {
    if (live.get(name) !== entry) return;
    live.delete(name);
    if (entry.poll) clearInterval(entry.poll);
    pidFiles.remove(name);
    last.set(name, { exitCode: code, signal });
    // The leader is gone; anything left in its group would be an orphan holding ports.
    if (!entry.stopping) signalGroup(entry.pid, "SIGKILL");
    const at = new Date();
    ctx.onExit({
      service: name,
      code,
      signal,
      at,
      ranForMs: at.getTime() - entry.startedAt.getTime(),
      requested: entry.stopping,
    });
  }

  function adopt(name: string): Live | undefined {
    const record = pidFiles.live(name);
    if (!record) return undefined;
    let resolveExit = () => {};
    const entry: Live = {
      pid: record.pid,
      startedAt: new Date(record.startedAt),
      revision: record.revision,
      adopted: true,
      stopping: false,
      exited: new Promise<void>((resolve) => {
        resolveExit = resolve;
      }),
    };
    entry.poll = setInterval(() => {
      if (groupMembers(entry.pid).length > 0 && isAlive(entry.pid)) return;
      ended(name, entry, null, null);
      resolveExit();
    }, ADOPTED_POLL_MS);
    entry.poll.unref();
    live.set(name, entry);
    return entry;
  }

  async function start(name: string, config: ServiceConfig): Promise<RunnerStatus> {
    const service = asProcess(config);
    if (live.has(name) || adopt(name)) return status(name);
    const sink = sinkFor(name, service);
    const [file, args] =
      typeof service.command === "string"
        ? ["/bin/sh", ["-c", service.command]]
        : [service.command[0] ?? "", service.command.slice(1)];
    const child = spawn(file, args, {
      cwd: service.cwd,
      env: { ...process.env, ...service.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    }).catch((error: Error) => {
      throw new Error(`service "${name}" could not be started: ${error.message}`);
    });
    const pid = child.pid ?? 0;
    const revision = revisionOf(service);
    const entry: Live = {
      pid,
      startedAt: new Date(),
      revision,
      child,
      adopted: false,
      stopping: false,
      exited: new Promise<void>((resolve) => child.once("exit", () => resolve())),
    };
    live.set(name, entry);
    child.stdout?.on("data", (chunk: Buffer) => sink.write("stdout", chunk));
    child.stderr?.on("data", (chunk: Buffer) => sink.write("stderr", chunk));
    child.stdout?.once("end", () => sink.flush("stdout"));
    child.stderr?.once("end", () => sink.flush("stderr"));
    child.once("exit", (code, signal) => ended(name, entry, code, signal));
    pidFiles.write(name, {
      pid,
      startTime: startTimeOf(pid),
      startedAt: entry.startedAt.toISOString(),
      revision,
    });
    return status(name);
  }

  async function stop(name: string, config: ServiceConfig): Promise<RunnerStatus> {
    const service = asProcess(config);
    const entry = live.get(name) ?? adopt(name);
    if (!entry) return status(name);
    entry.stopping = true;
    signalGroup(entry.pid, "SIGTERM");
    if (!(await waitGroupGone(entry.pid, service.stop_grace))) {
      signalGroup(entry.pid, "SIGKILL");
      await waitGroupGone(entry.pid, KILL_WAIT_MS);
    }
    const survivors = groupMembers(entry.pid);
    if (survivors.length > 0) {
      throw new Error(`service "${name}": processes ${survivors.join(", ")} survived SIGKILL`);
    }
    // Our own child: wait (bounded) for its exit event so code and signal are recorded.
    await Promise.race([entry.exited, new Promise((resolve) => setTimeout(resolve, KILL_WAIT_MS))]);
    if (live.get(name) === entry) ended(name, entry, null, null);
    return status(name);
  }

  return {
    kind: "process",
    start,
    stop,
    async restart(name, service) {
      await stop(name, service);
      return start(name, service);
    },
    async status(name) {
      if (!live.has(name)) adopt(name);
      return status(name);
    },
    logs(name, lines = 100) {
      return sinks.get(name)?.recent(lines) ?? [];
    },
    revision: (_name, service) => revisionOf(service),
    async attach(name) {
      if (!live.has(name)) adopt(name);
      return status(name);
    },
    async close() {
      for (const entry of live.values()) {
        if (entry.poll) clearInterval(entry.poll);
        // Keep the services running but stop holding the event loop: Vigil restarting must not
        // kill the stack. (Output after Vigil exits goes nowhere: the pipes close with us.)
        for (const stream of [entry.child?.stdout, entry.child?.stderr]) {
          (stream as unknown as { unref?: () => void } | null | undefined)?.unref?.();
        }
        entry.child?.unref();
      }
      for (const sink of sinks.values()) sink.close();
      live.clear();
    },
  };
}
