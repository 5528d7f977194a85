import { createHash } from "node:crypto";
import { posix } from "node:path";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import type { FileMountSpec } from "../config/docker-fields.ts";
import type { DockerServiceConfig } from "../config/schema.ts";

/*
 * Secrets and configs in a container, as compose puts them there without a swarm: a host file is
 * bind-mounted read-only at its target; a value (a secret from the environment, an inline config)
 * is copied into the created container before it starts, so it never touches the host's disk.
 */

const mountsOf = (service: DockerServiceConfig): FileMountSpec[] => [
  ...service.secret_mounts,
  ...service.config_mounts,
];

/** Read-only binds of the file-based secrets and configs. */
export function fileBinds(service: DockerServiceConfig): Docker.MountSettings[] {
  return mountsOf(service).flatMap((m) =>
    m.file === undefined ? [] : [{ Type: "bind" as const, Source: m.file, Target: m.target, ReadOnly: true }],
  );
}

/**
 * A digest of the copied values and their owners, for the container's config hash: a changed
 * secret gives a new container, an unchanged one reuses it. Only the digest is stored.
 */
export function copiedFilesDigest(service: DockerServiceConfig): string | undefined {
  const copied = mountsOf(service).filter((m) => m.content !== undefined);
  if (copied.length === 0) return undefined;
  return createHash("sha256").update(JSON.stringify(copied)).digest("hex").slice(0, 16);
}

/** Copies the value-based secrets and configs into a created (not yet started) container. */
export async function copyFiles(container: Docker.Container, service: DockerServiceConfig): Promise<void> {
  const copied = mountsOf(service).filter((m) => m.content !== undefined);
  if (copied.length === 0) return;
  const archive = pack();
  const dirs = new Set<string>();
  for (const mount of copied) {
    // Parents first (the engine extracts into "/", and /run/secrets is not in every image).
    const parts = posix.dirname(mount.target).split("/").filter(Boolean);
    for (let n = 1; n <= parts.length; n++) {
      const dir = parts.slice(0, n).join("/");
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      archive.entry({ name: `${dir}/`, type: "directory", mode: 0o755 });
    }
    archive.entry(
      { name: mount.target.slice(1), mode: mount.mode, uid: mount.uid, gid: mount.gid },
      mount.content ?? "",
    );
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  await container.putArchive(Buffer.concat(chunks), { path: "/" });
}
