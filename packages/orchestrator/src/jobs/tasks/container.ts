import type Docker from "dockerode";
import { dockerClient, dockerErrorText } from "../../docker/client.ts";
import { lineSplitter } from "./lines.ts";
import type { JobTask, TaskExit } from "./task.ts";

export interface ContainerTaskSpec {
  kind: "container";
  image: string;
  /** A string runs through `sh -c`; a list runs as is; none: the image's own command. */
  command?: string | readonly string[];
  env: Readonly<Record<string, string>>;
  /** Bind mounts (absolute host paths) and Docker volumes by name. */
  volumes: readonly {
    type: "bind" | "volume";
    source: string | undefined;
    target: string;
    read_only: boolean;
  }[];
  /** Docker's network mode; host unless given. */
  network?: string;
  /** Labels the container so a crash of Vigil leaves it findable (`docker ps -a --filter label=…`). */
  project: string;
}

/**
 * One run as a one-off container: created, started, waited for, its output tail read, removed.
 * An abort (timeout, replace, shutdown) kills it; the exit code is the container's.
 */
export function containerTask(spec: Omit<ContainerTaskSpec, "kind">): JobTask {
  return async (ctx) => {
    const docker = dockerClient();
    let container: Docker.Container;
    try {
      container = await docker.createContainer(createOptions(spec, ctx.job));
    } catch (error) {
      throw new Error(`could not create a container of ${spec.image}: ${dockerErrorText(error)}`);
    }
    let killed = false;
    const onAbort = () => {
      killed = true;
      void container.kill().catch(() => undefined);
    };
    try {
      await container.start();
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      if (ctx.signal.aborted) onAbort();
      const result = (await container.wait()) as { StatusCode: number };
      // Read once the container has exited: the run's record carries the tail, not a live stream.
      const logs = await container.logs({ stdout: true, stderr: true, follow: false, tail: 200 });
      const lines = {
        stdout: lineSplitter((line) => ctx.log(line, "stdout")),
        stderr: lineSplitter((line) => ctx.log(line, "stderr")),
      };
      for (const [stream, chunk] of demux(logs)) lines[stream].push(chunk);
      lines.stdout.flush();
      lines.stderr.flush();
      const exit: TaskExit = killed
        ? { exitCode: result.StatusCode, signal: "SIGKILL" }
        : { exitCode: result.StatusCode, signal: null };
      return exit;
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      await container.remove({ force: true }).catch(() => undefined);
    }
  };
}

function createOptions(spec: Omit<ContainerTaskSpec, "kind">, job: string): Docker.ContainerCreateOptions {
  const cmd =
    spec.command === undefined
      ? undefined
      : typeof spec.command === "string"
        ? ["sh", "-c", spec.command]
        : [...spec.command];
  return {
    Image: spec.image,
    ...(cmd ? { Cmd: cmd } : {}),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    // Not the service labels (runners/docker-spec.ts): the docker runner must not adopt a job run.
    Labels: { "vigil.job.project": spec.project, "vigil.job": job },
    HostConfig: {
      NetworkMode: spec.network ?? "host",
      // A volume without a source is an anonymous one (Docker names it).
      Mounts: spec.volumes.map((m) => ({
        Type: m.type,
        Source: m.source ?? "",
        Target: m.target,
        ReadOnly: m.read_only,
      })),
    },
  };
}

/** Docker's multiplexed log frames (8-byte header: stream, 0, 0, 0, big-endian length). */
function demux(buffer: Buffer): ["stdout" | "stderr", Buffer][] {
  const frames: ["stdout" | "stderr", Buffer][] = [];
  for (let at = 0; at + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(at + 4);
    frames.push([buffer[at] === 2 ? "stderr" : "stdout", buffer.subarray(at + 8, at + 8 + size)]);
    at += 8 + size;
  }
  return frames;
}
