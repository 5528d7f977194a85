import { relative } from "node:path";
import { dockerClient, dockerErrorText } from "../../docker/client.ts";
import type { Retention } from "../backup/retention.ts";
import { writeCopy } from "../backup/write-copy.ts";
import { commandTask } from "./command.ts";
import type { JobTask } from "./task.ts";

export interface FilesBackupSpec {
  type: "files";
  /** Absolute paths (files or directories), stored relative to `/`. */
  paths: readonly string[];
  /** A Docker volume by name: its contents, read from its mount point on this host. */
  volume?: string;
  destination: string;
  retention: Retention;
}

/** A gzip'd tar of directories or of a Docker volume, then retention. */
export function filesBackupTask(spec: FilesBackupSpec): JobTask {
  return async (ctx) => {
    const [root, members] = spec.volume
      ? [await volumeMountpoint(spec.volume), ["."]]
      : ["/", spec.paths.map((p) => relative("/", p) || ".")];
    ctx.log(`tar -czf of ${spec.volume ? `volume ${spec.volume}` : spec.paths.join(", ")}`);
    return writeCopy(ctx, { ...spec, ext: "tar.gz" }, (partial) =>
      commandTask({ command: ["tar", "-czf", partial, "-C", root, "--", ...members] })(ctx),
    );
  };
}

async function volumeMountpoint(name: string): Promise<string> {
  try {
    return (await dockerClient().getVolume(name).inspect()).Mountpoint;
  } catch (error) {
    throw new Error(`volume "${name}": ${dockerErrorText(error)}`);
  }
}
