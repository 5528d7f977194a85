import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import type { ProcessServiceConfig, ServiceConfig } from "../config/schema.ts";
import { FileTail } from "./file-tail.ts";
import { LogSink, logFileOf } from "./log-sink.ts";
import { ProcessConfiner, type RunConfinement } from "./process-confine.ts";
import {
  groupAlive,
  groupMembers,
  isAlive,
  signalGroup,
  startTimeOf,
  waitGroupGone,
} from "./process-group.ts";
import { oomReason, saysOutOfMemory } from "./process-limits.ts";
import { RESOURCE_INTERVAL_MS, startProcessResources } from "./process-resources.ts";
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
  /** resources.memory of the run, bytes. */
  memoryLimit?: number | undefined;
  /** The run's limits, what enforces them and its cgroup, when it has limits. */
  confined?: RunConfinement | undefined;
  /** Set when Vigil killed the tree for passing its memory limit. */
  oomKilled?: boolean;
  tails: FileTail[];
}

function asProcess(service: ServiceConfig): ProcessServiceConfig {
  if (service.kind !== "process") throw new Error(`process runner got a ${service.kind} service`);
  return service;
}

/** Runs services as local process groups (`detached`), logging to `<stateDir>/logs`. */
export function createProcessRunner(ctx: RunnerContext): Runner {
  const live = new Map<string, Live>();
  const last = new Map<string, { exitCode: number | null; signal: string | null; reason?: string }>();
  const sinks = new Map<string, LogSink>();
  const runDir = join(ctx.stateDir, "run");
  const pidFiles = new PidFiles(runDir);
  const capture = (name: string, stream: "stdout" | "stderr") => join(runDir, `${name}.${stream}`);
  const confiner = new ProcessConfiner(ctx.limiter ?? "auto", ctx.project);
  const resources = startProcessResources({
    intervalMs: ctx.resourceIntervalMs ?? RESOURCE_INTERVAL_MS,
    targets: () =>
      [...live].map(([service, entry]) => ({
        service,
        pid: entry.pid,
        memoryLimitBytes: entry.memoryLimit,
        ...(entry.confined ? { enforcement: entry.confined.limits.enforcement } : {}),
      })),
    onEvent: ctx.onEvent,
    onOverLimit: (service) => {
      const entry = live.get(service);
      // Under a cgroup the kernel enforces the limit; Vigil's kill is the rlimit fallback's.
      if (!entry || entry.stopping || entry.oomKilled || entry.confined?.limits.enforcement !== "rlimit")
        return;
      entry.oomKilled = true;
      signalGroup(entry.pid, "SIGKILL");
    },
  });

  /** Follows the service's capture files into its log sink. */
  function tailsFor(name: string, sink: LogSink): FileTail[] {
    mkdirSync(runDir, { recursive: true });
    return (["stdout", "stderr"] as const).map((stream) => {
      closeSync(openSync(capture(name, stream), "a"));
      return new FileTail(capture(name, stream), (chunk) => sink.write(stream, chunk), { fromEnd: true });
    });
  }

  function closeTails(name: string, entry: Live): void {
    for (const tail of entry.tails) tail.close();
    entry.tails = [];
    sinks.get(name)?.flush("stdout");
    sinks.get(name)?.flush("stderr");
  }

  function sinkFor(name: string, service: ProcessServiceConfig): LogSink {
    let sink = sinks.get(name);
    if (!sink) {
      sink = new LogSink({
        service: name,
        file: logFileOf(ctx.stateDir, name),
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
        ...(entry.confined ? { limits: entry.confined.limits } : {}),
      };
    }
    const ended = last.get(name);
    return {
      state: "stopped",
      exitCode: ended?.exitCode ?? null,
      signal: ended?.signal ?? null,
      ...(ended?.reason === undefined ? {} : { exitReason: ended.reason }),
    };
  }

  function ended(
    name: string,
    entry: Live,
    code: number | null,
    signal: string | null,
    unknown = false,
  ): void {
    if (live.get(name) !== entry) return;
    live.delete(name);
    if (entry.poll) clearInterval(entry.poll);
    closeTails(name, entry);
    pidFiles.remove(name);
    const reason = outOfMemory(name, entry, code);
    confiner.release(name, entry.confined);
    last.set(name, { exitCode: code, signal, ...(reason === undefined ? {} : { reason }) });
    // The leader is gone; anything left in its group would be an orphan holding ports.
    if (!entry.stopping) signalGroup(entry.pid, "SIGKILL");
    const at = new Date();
    if (reason !== undefined && entry.memoryLimit !== undefined) {
      ctx.onEvent({ type: "service.oom", service: name, at, limitBytes: entry.memoryLimit, reason });
    }
    ctx.onExit({
      service: name,
      code,
      signal,
      at,
      ranForMs: at.getTime() - entry.startedAt.getTime(),
      requested: entry.stopping,
      incarnation: `pid ${entry.pid}`,
      ...(unknown ? { unknown } : {}),
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /** The out-of-memory reason of a run that ended under a memory limit, if that is why it ended. */
  function outOfMemory(name: string, entry: Live, code: number | null): string | undefined {
    if (entry.memoryLimit === undefined || entry.stopping) return undefined;
    if (entry.oomKilled) return oomReason("killed", entry.memoryLimit);
    const kernel = confiner.kernelOom(entry.confined, entry.memoryLimit);
    if (kernel !== undefined) return kernel;
    const tail = sinks.get(name)?.recent(20) ?? [];
    return code !== 0 && saysOutOfMemory(tail) ? oomReason("exited", entry.memoryLimit) : undefined;
  }

  function adopt(name: string, service: ProcessServiceConfig): Live | undefined {
    const record = pidFiles.live(name);
    if (!record) return undefined;
    const confined = confiner.find(name, service);
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
      tails: tailsFor(name, sinkFor(name, service)),
      memoryLimit: service.resources.memory,
      confined,
    };
    entry.poll = setInterval(() => {
      // Node has no pidfd: poll, and compare the kernel start time so a reused pid is not "still alive".
      const same = record.startTime === undefined || startTimeOf(entry.pid) === record.startTime;
      if (same && groupAlive(entry.pid) && isAlive(entry.pid)) return;
      // Stopped by another Vigil (the CLI, say): not a crash, so no restart policy applies.
      if (pidFiles.stopRequested(name)) entry.stopping = true;
      // Not our child: the exit status went to its real parent (init), Vigil cannot know it.
      ended(name, entry, null, null, true);
      resolveExit();
    }, ADOPTED_POLL_MS);
    entry.poll.unref();
    live.set(name, entry);
    return entry;
  }

  async function start(name: string, config: ServiceConfig): Promise<RunnerStatus> {
    const service = asProcess(config);
    if (live.has(name) || adopt(name, service)) return status(name);
    await confiner.released(name);
    const sink = sinkFor(name, service);
    // Output goes to files, not pipes: a pipe would break (EPIPE) and kill the service when
    // Vigil exits, and Vigil restarting must not take the stack down.
    const tails = tailsFor(name, sink);
    const out = openSync(capture(name, "stdout"), "a");
    const err = openSync(capture(name, "stderr"), "a");
    const command: [string, string[]] =
      typeof service.command === "string"
        ? ["/bin/sh", ["-c", service.command]]
        : [service.command[0] ?? "", service.command.slice(1)];
    let confined: ReturnType<ProcessConfiner["confine"]>;
    try {
      confined = confiner.confine(name, service, command, (line) => sink.write("stderr", `${line}\n`));
    } catch (error) {
      for (const tail of tails) tail.close();
      closeSync(out);
      closeSync(err);
      throw new Error(`service "${name}" could not be started: ${(error as Error).message}`);
    }
    const [file, args] = confined?.command ?? command;
    const child = spawn(file, args, {
      cwd: service.cwd,
      env: { ...process.env, ...service.env },
      detached: true,
      stdio: ["ignore", out, err],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
    } catch (error) {
      for (const tail of tails) tail.close();
      confiner.release(name, confined);
      throw new Error(
        `service "${name}" could not be started: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      closeSync(out);
      closeSync(err);
    }
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
      tails,
      memoryLimit: service.resources.memory,
      ...(confined ? { confined: { limits: confined.limits, confinement: confined.confinement } } : {}),
    };
    live.set(name, entry);
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
    const entry = live.get(name) ?? adopt(name, service);
    if (!entry) return status(name);
    entry.stopping = true;
    pidFiles.markStopping(name);
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
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.exited, new Promise((resolve) => (timer = setTimeout(resolve, KILL_WAIT_MS)))]);
    clearTimeout(timer);
    if (live.get(name) === entry) ended(name, entry, null, null);
    await confiner.released(name);
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
    async status(name, service) {
      if (!live.has(name)) adopt(name, asProcess(service));
      return status(name);
    },
    logs(name, lines = 100) {
      return sinks.get(name)?.recent(lines) ?? [];
    },
    revision: (_name, service) => revisionOf(service),
    async attach(name, service) {
      if (!live.has(name)) adopt(name, asProcess(service));
      return status(name);
    },
    async close() {
      resources.stop();
      for (const entry of live.values()) {
        if (entry.poll) clearInterval(entry.poll);
        // Keep the services running (their output keeps going to the capture files, which the
        // next Vigil follows); only stop watching them.
        for (const tail of entry.tails) tail.close();
        entry.child?.removeAllListeners("exit");
        entry.child?.unref();
      }
      for (const sink of sinks.values()) sink.close();
      live.clear();
    },
  };
}
