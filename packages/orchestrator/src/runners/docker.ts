import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import type { DockerServiceConfig, ServiceConfig } from "../config/schema.ts";
import { dockerClient, engineUnreachable } from "../docker/client.ts";
import { createOptions } from "./docker-create.ts";
import { copyFiles } from "./docker-files.ts";
import { containerOom } from "./docker-oom.ts";
import {
  connectExtraNetworks,
  ensureImage,
  ensureNetworks,
  ensureVolumes,
  readEnvFiles,
} from "./docker-resources.ts";
import { containerNameOf, LABEL, statusCodeOf } from "./docker-spec.ts";
import { containerUsage, sampleGate } from "./docker-stats.ts";
import { containerStatus } from "./docker-status.ts";
import { clearStopped, markStopped } from "./docker-stop-marks.ts";
import { LogSink, logFileOf } from "./log-sink.ts";
import { RESOURCE_INTERVAL_MS } from "./process-resources.ts";
import type { Runner, RunnerContext, RunnerStatus, StartOptions } from "./types.ts";

/** Watchers of one running container: logs, stats, and its exit. */
interface Watch {
  id: string;
  startedAt: Date;
  /** Docker's StartedAt text: a different one after an exit means Docker restarted it. */
  startedAtRaw: string;
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

/** How long Vigil follows a container Docker restarts (Docker's backoff tops out at one minute). */
const ENGINE_RESTART_FOLLOW_MS = 75_000;

/**
 * Runs services as containers through dockerode. The restart policy is set on the container too,
 * so Docker restarts crashes while no Vigil runs; while Vigil runs it follows Docker's restarts
 * (counting them) and restarts only what Docker will not: a container killed or stopped outside
 * Vigil (`docker kill`), which Docker treats as stopped on purpose.
 */
export function createDockerRunner(ctx: RunnerContext, local: Docker = dockerClient()): Runner {
  const watches = new Map<string, Watch>();
  const sinks = new Map<string, LogSink>();
  let closed = false;

  /** The engine a service runs on (its `host:`), one client per host for the runner's life. */
  const engineOf = (service: DockerServiceConfig): Docker => ctx.dockerFor?.(service.host) ?? local;

  async function inspect(
    engine: Docker,
    containerName: string,
  ): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await engine.getContainer(containerName).inspect();
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  const statusOf = (name: string, info: Docker.ContainerInspectInfo | undefined, adopted = false) =>
    containerStatus(ctx.stateDir, name, info, adopted);

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
    engine: Docker,
    name: string,
    info: Docker.ContainerInspectInfo,
    since: number | undefined,
  ): Promise<void> {
    unwatch(name);
    const container = engine.getContainer(info.Id);
    const entry: Watch = {
      id: info.Id,
      startedAt: new Date(info.State.StartedAt),
      startedAtRaw: info.State.StartedAt,
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
    engine.modem.demuxStream(logs, out, err);
    logs.on("end", () => {
      sink.flush("stdout");
      sink.flush("stderr");
    });
    logs.on("error", () => {});
    entry.streams.push(logs);
    const stats = await container.stats({ stream: true });
    let buffered = "";
    const due = sampleGate(ctx.resourceIntervalMs ?? RESOURCE_INTERVAL_MS);
    stats.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          if (!due()) continue;
          ctx.onEvent({
            type: "service.resources",
            service: name,
            at: new Date(),
            ...containerUsage(JSON.parse(line)),
          });
        } catch {
          // A torn or odd sample is dropped; the next one comes within a second.
        }
      }
    });
    stats.on("error", () => {});
    entry.streams.push(stats);
    container
      .wait({ abortSignal: entry.abort.signal })
      .then(async (result: { StatusCode?: number }) => {
        if (entry.closed || watches.get(name) !== entry) return;
        unwatch(name);
        const oom = entry.stopping ? undefined : await containerOom(container);
        const after = await inspect(engine, entry.id).catch(() => undefined);
        const engineRestarts =
          !entry.stopping &&
          after !== undefined &&
          (after.State.Restarting || (after.State.Running && after.State.StartedAt !== entry.startedAtRaw));
        const at = new Date();
        if (oom) ctx.onEvent({ type: "service.oom", service: name, at, ...oom });
        ctx.onExit({
          service: name,
          code: result.StatusCode ?? after?.State.ExitCode ?? null,
          signal: null,
          at,
          ranForMs: at.getTime() - entry.startedAt.getTime(),
          requested: entry.stopping,
          incarnation: `${entry.id} ${entry.startedAtRaw}`,
          ...(oom ? { reason: oom.reason } : {}),
          engineRestarts,
        });
        if (engineRestarts) await followEngineRestart(engine, name, entry.id);
      })
      .catch((error: unknown) => {
        // The engine went away mid-wait (its host stopped answering): nothing is known of an exit.
        // The watch goes, so that attaching again once the host answers watches the container anew.
        if (!entry.closed && watches.get(name) === entry && engineUnreachable(error)) unwatch(name);
      });
  }

  /** Waits (bounded) for Docker to have the container running again, then watches it anew. */
  async function followEngineRestart(engine: Docker, name: string, id: string): Promise<void> {
    const until = Date.now() + ENGINE_RESTART_FOLLOW_MS;
    while (!closed && Date.now() < until && !watches.has(name)) {
      const info = await inspect(engine, id);
      if (!info || (!info.State.Running && !info.State.Restarting)) return;
      if (info.State.Running) {
        await watch(engine, name, info, Math.floor(new Date(info.State.StartedAt).getTime() / 1000) - 1);
        ctx.onResumed?.(name, await statusOf(name, info, true));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function start(name: string, config: ServiceConfig, opts: StartOptions = {}): Promise<RunnerStatus> {
    const service = asDocker(config);
    const docker = engineOf(service);
    const containerName = containerNameOf(ctx.project, name, service);
    const sink = sinkFor(name);
    await ensureImage(docker, service, (line) => sink.write("stdout", Buffer.from(`${line}\n`)), opts.signal);
    await ensureVolumes(docker, ctx.project, service);
    await ensureNetworks(docker, ctx.project, service);
    const options = createOptions(ctx.project, name, service, await readEnvFiles(service));
    const existing = await inspect(docker, containerName);
    const labels = existing?.Config.Labels ?? {};
    const sameConfig =
      existing !== undefined &&
      (labels[LABEL.configHash] === undefined
        ? existing.State.Running && existing.Config.Image === service.image // made before config hashes
        : labels[LABEL.configHash] === options.Labels?.[LABEL.configHash]);
    await clearStopped(ctx.stateDir, name);
    if (existing && sameConfig && (existing.State.Running || existing.State.Restarting)) {
      // Same container, already up: adopt it instead of failing on "name already in use".
      if (!watches.has(name) && existing.State.Running) await watch(docker, name, existing, undefined);
      return statusOf(name, existing, true);
    }
    let container: Docker.Container;
    if (existing && sameConfig) {
      // Same config, down: start the same container again (compose does so too).
      container = docker.getContainer(existing.Id);
    } else {
      if (existing) {
        const watched = watches.get(name);
        if (watched) watched.stopping = true;
        unwatch(name);
        // Only the container goes: its named volumes and networks stay.
        await docker.getContainer(existing.Id).remove({ force: true });
      }
      container = await docker.createContainer(options);
      await copyFiles(container, service);
      await connectExtraNetworks(docker, ctx.project, name, service, container.id);
    }
    if (opts.signal?.aborted) {
      // Cancelled while creating: leave nothing half-made behind.
      if (!existing || !sameConfig) await container.remove({ force: true });
      throw new Error(`start of "${name}" cancelled`);
    }
    await container.start();
    const info = await container.inspect();
    await watch(docker, name, info, Math.floor(new Date(info.State.StartedAt).getTime() / 1000) - 1);
    return statusOf(name, info);
  }

  async function stop(name: string, config: ServiceConfig): Promise<RunnerStatus> {
    const service = asDocker(config);
    const docker = engineOf(service);
    const info = await inspect(docker, containerNameOf(ctx.project, name, service));
    if (!info) return { state: "stopped" };
    // Written first: from here on, the container being down is Vigil's doing.
    await markStopped(ctx.stateDir, name, info.Id);
    const watched = watches.get(name);
    if (watched) watched.stopping = true;
    if (info.State.Running || info.State.Restarting) {
      try {
        await docker.getContainer(info.Id).stop({ t: Math.ceil(service.stop_grace / 1000) });
      } catch (error) {
        if (statusCodeOf(error) !== 304) throw error; // 304: already stopped
      }
    }
    const after = await inspect(docker, info.Id);
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
    return statusOf(name, after);
  }

  return {
    kind: "docker",
    start,
    stop,
    async restart(name, service, opts) {
      await stop(name, service);
      return start(name, service, opts);
    },
    async status(name, config) {
      const service = asDocker(config);
      return statusOf(
        name,
        await inspect(engineOf(service), containerNameOf(ctx.project, name, service)),
        watches.has(name),
      );
    },
    logs: (name, lines = 100) => sinks.get(name)?.recent(lines) ?? [],
    revision: (_name, service) => asDocker(service).image,
    async attach(name, config) {
      const service = asDocker(config);
      const engine = engineOf(service);
      const info = await inspect(engine, containerNameOf(ctx.project, name, service));
      if (info?.State.Running && !watches.has(name)) await watch(engine, name, info, undefined);
      return statusOf(name, info, info?.State.Running === true);
    },
    async close() {
      closed = true;
      for (const name of [...watches.keys()]) unwatch(name);
      for (const sink of sinks.values()) sink.close();
    },
  };
}
