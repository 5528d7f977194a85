import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import type { DockerServiceConfig, ServiceConfig } from "../config/schema.ts";
import { dockerClient } from "../docker/client.ts";
import { containerNameOf, createOptions, LABEL, resourcesOf, statusCodeOf } from "./docker-spec.ts";
import { LogSink, logFileOf } from "./log-sink.ts";
import type { Runner, RunnerContext, RunnerStatus, StartOptions } from "./types.ts";

/** Watchers of one running container: logs, stats, and its exit. */
interface Watch {
  id: string;
  startedAt: Date;
  /** Set by stop(): the exit that follows is requested, not a crash. */
  stopping: boolean;
  streams: NodeJS.ReadableStream[];
  /** Ends the pending wait request so close() leaves no socket open. */
  abort: AbortController;
  closed: boolean;
}

function asDocker(service: ServiceConfig): DockerServiceConfig {
  if (service.kind !== "docker") throw new Error(`docker runner got a ${service.kind} service`);
  return service;
}

/** Runs services as containers through dockerode; Docker's own restart policy stays off (Vigil decides). */
export function createDockerRunner(ctx: RunnerContext, docker: Docker = dockerClient()): Runner {
  const watches = new Map<string, Watch>();
  const sinks = new Map<string, LogSink>();

  async function inspect(containerName: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await docker.getContainer(containerName).inspect();
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  function statusOf(info: Docker.ContainerInspectInfo | undefined, adopted = false): RunnerStatus {
    if (!info) return { state: "stopped" };
    const revision = info.Config.Labels?.[LABEL.revision] ?? info.Config.Image;
    if (info.State.Running) {
      return {
        state: "running",
        containerId: info.Id,
        pid: info.State.Pid,
        startedAt: new Date(info.State.StartedAt),
        revision,
        adopted,
      };
    }
    return { state: "stopped", containerId: info.Id, exitCode: info.State.ExitCode, revision };
  }

  function sinkFor(name: string): LogSink {
    let sink = sinks.get(name);
    if (!sink) {
      // Docker keeps its own logs; Vigil's copy only needs to be modest.
      sink = new LogSink({
        service: name,
        file: logFileOf(ctx.stateDir, name),
        maxSize: 10 * 1024 ** 2,
        maxFiles: 3,
        onEvent: ctx.onEvent,
      });
      sinks.set(name, sink);
    }
    return sink;
  }

  function unwatch(name: string): void {
    const watch = watches.get(name);
    if (!watch) return;
    watch.closed = true;
    watches.delete(name);
    watch.abort.abort();
    for (const stream of watch.streams) (stream as unknown as { destroy?: () => void }).destroy?.();
  }

  /** Streams logs and stats while the container runs and reports its exit. */
  async function watch(
    name: string,
    info: Docker.ContainerInspectInfo,
    since: number | undefined,
  ): Promise<void> {
    unwatch(name);
    const container = docker.getContainer(info.Id);
    const entry: Watch = {
      id: info.Id,
      startedAt: new Date(info.State.StartedAt),
      stopping: false,
      streams: [],
      abort: new AbortController(),
      closed: false,
    };
    watches.set(name, entry);
    const sink = sinkFor(name);
    const logs = await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
      ...(since === undefined ? { tail: 50 } : { since }),
    });
    const out = new PassThrough();
    const err = new PassThrough();
    out.on("data", (chunk: Buffer) => sink.write("stdout", chunk));
    err.on("data", (chunk: Buffer) => sink.write("stderr", chunk));
    docker.modem.demuxStream(logs, out, err);
    logs.on("end", () => {
      sink.flush("stdout");
      sink.flush("stderr");
    });
    logs.on("error", () => {});
    entry.streams.push(logs);
    const stats = await container.stats({ stream: true });
    let buffered = "";
    stats.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const { cpuPercent, memoryBytes } = resourcesOf(JSON.parse(line));
          ctx.onEvent({ type: "service.resources", service: name, at: new Date(), cpuPercent, memoryBytes });
        } catch {
          // A torn or odd sample is dropped; the next one comes within a second.
        }
      }
    });
    stats.on("error", () => {});
    entry.streams.push(stats);
    container
      .wait({ abortSignal: entry.abort.signal })
      .then((result: { StatusCode?: number }) => {
        if (entry.closed || watches.get(name) !== entry) return;
        unwatch(name);
        const at = new Date();
        ctx.onExit({
          service: name,
          code: result.StatusCode ?? null,
          signal: null,
          at,
          ranForMs: at.getTime() - entry.startedAt.getTime(),
          requested: entry.stopping,
        });
      })
      .catch(() => {});
  }

  async function start(name: string, config: ServiceConfig, opts: StartOptions = {}): Promise<RunnerStatus> {
    const service = asDocker(config);
    const containerName = containerNameOf(ctx.project, name, service);
    const existing = await inspect(containerName);
    if (existing?.State.Running && existing.Config.Image === service.image) {
      // Same name, same image, already up: adopt it instead of failing on "name already in use".
      if (!watches.has(name)) await watch(name, existing, undefined);
      return statusOf(existing, true);
    }
    if (existing) {
      const watched = watches.get(name);
      if (watched) watched.stopping = true;
      unwatch(name);
      await docker.getContainer(existing.Id).remove({ force: true });
    }
    const container = await docker.createContainer(createOptions(ctx.project, name, service));
    if (opts.signal?.aborted) {
      // Cancelled while creating: leave nothing half-made behind.
      await container.remove({ force: true });
      throw new Error(`start of "${name}" cancelled`);
    }
    await container.start();
    const info = await container.inspect();
    await watch(name, info, Math.floor(new Date(info.State.StartedAt).getTime() / 1000) - 1);
    return statusOf(info);
  }

  async function stop(name: string, config: ServiceConfig): Promise<RunnerStatus> {
    const service = asDocker(config);
    const info = await inspect(containerNameOf(ctx.project, name, service));
    if (!info) return { state: "stopped" };
    const watched = watches.get(name);
    if (watched) watched.stopping = true;
    if (info.State.Running) {
      try {
        await docker.getContainer(info.Id).stop({ t: Math.ceil(service.stop_grace / 1000) });
      } catch (error) {
        if (statusCodeOf(error) !== 304) throw error; // 304: already stopped
      }
    }
    const after = await inspect(info.Id);
    if (watched && !watched.closed) {
      unwatch(name);
      const at = new Date();
      ctx.onExit({
        service: name,
        code: after?.State.ExitCode ?? null,
        signal: null,
        at,
        ranForMs: at.getTime() - watched.startedAt.getTime(),
        requested: true,
      });
    }
    return statusOf(after);
  }

  return {
    kind: "docker",
    start,
    stop,
    async restart(name, service, opts) {
      await stop(name, service);
      return start(name, service, opts);
    },
    async status(name, service) {
      return statusOf(
        await inspect(containerNameOf(ctx.project, name, asDocker(service))),
        watches.has(name),
      );
    },
    logs: (name, lines = 100) => sinks.get(name)?.recent(lines) ?? [],
    revision: (_name, service) => asDocker(service).image,
    async attach(name, service) {
      const info = await inspect(containerNameOf(ctx.project, name, asDocker(service)));
      if (info?.State.Running && !watches.has(name)) await watch(name, info, undefined);
      return statusOf(info, info?.State.Running === true);
    },
    async close() {
      for (const name of [...watches.keys()]) unwatch(name);
      for (const sink of sinks.values()) sink.close();
    },
  };
}
