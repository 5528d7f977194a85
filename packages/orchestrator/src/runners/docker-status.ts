import type Docker from "dockerode";
import { containerOomReason } from "./docker-oom.ts";
import { LABEL } from "./docker-spec.ts";
import { wasStopped } from "./docker-stop-marks.ts";
import type { RunnerStatus } from "./types.ts";

/**
 * What an inspected container means for Vigil: running, starting (Docker is restarting it),
 * stopped (by Vigil, or never started), or exited — down without anyone asking, with its exit
 * code, OOM flag and when it ended.
 */
export async function containerStatus(
  stateDir: string,
  name: string,
  info: Docker.ContainerInspectInfo | undefined,
  adopted = false,
): Promise<RunnerStatus> {
  if (!info) return { state: "stopped" };
  const revision = info.Config.Labels?.[LABEL.revision] ?? info.Config.Image;
  if (info.State.Running || info.State.Restarting) {
    return {
      state: info.State.Restarting ? "starting" : "running",
      containerId: info.Id,
      pid: info.State.Pid,
      startedAt: new Date(info.State.StartedAt),
      revision,
      adopted,
    };
  }
  const ended = { containerId: info.Id, exitCode: info.State.ExitCode, revision };
  // Created but never started, or stopped by Vigil: down on purpose. Anything else died.
  if (info.State.Status === "created" || (await wasStopped(stateDir, name, info.Id))) {
    return { state: "stopped", ...ended };
  }
  return {
    state: "exited",
    ...ended,
    ...(info.State.OOMKilled ? { exitReason: containerOomReason(info.HostConfig.Memory ?? 0) } : {}),
    ...(info.State.StartedAt.startsWith("0001") ? {} : { startedAt: new Date(info.State.StartedAt) }),
    ...(info.State.FinishedAt.startsWith("0001") ? {} : { finishedAt: new Date(info.State.FinishedAt) }),
  };
}
