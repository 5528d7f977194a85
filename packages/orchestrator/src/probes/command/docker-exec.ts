import { PassThrough } from "node:stream";
import { dockerClient, dockerErrorText } from "../../docker/client.ts";
import type { CommandCheckSpec } from "../command.ts";
import { unhealthy } from "../support/result.ts";
import type { ProbeContext, ProbeResult } from "../types.ts";
import { appendCapped, argv, judgeCommand, shortCommand } from "./output.ts";

/**
 * `docker exec` through the engine API. The engine cannot kill an exec'd process, so on abort we
 * drop the stream and stop waiting; runCheck reports the timeout.
 */
export async function execInContainer(
  spec: CommandCheckSpec,
  container: string,
  ctx: ProbeContext,
): Promise<ProbeResult> {
  const where = `command ${shortCommand(spec.command)} in ${container}`;
  const docker = ctx.dockerFor?.(ctx.service ?? "") ?? dockerClient();
  let output = "";
  try {
    const exec = await docker.getContainer(container).exec({
      Cmd: argv(spec.command),
      AttachStdout: true,
      AttachStderr: true,
      Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      ...(spec.cwd !== undefined ? { WorkingDir: spec.cwd } : {}),
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const sink = new PassThrough();
    sink.on("data", (chunk: Buffer) => {
      output = appendCapped(output, chunk);
    });
    docker.modem.demuxStream(stream, sink, sink);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stream.destroy();
        reject(ctx.signal.reason);
      };
      if (ctx.signal.aborted) return onAbort();
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        ctx.signal.removeEventListener("abort", onAbort);
        resolve();
      };
      stream.once("end", done);
      stream.once("close", done);
      stream.once("error", done);
    });
    const info = await exec.inspect();
    return judgeCommand(spec, info.ExitCode ?? null, output, where);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return unhealthy(`${where}: ${dockerErrorText(error)}`);
  }
}
