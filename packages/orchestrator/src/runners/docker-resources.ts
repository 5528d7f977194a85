import { readFile } from "node:fs/promises";
import type Docker from "dockerode";
import { parseDotenv } from "../config/dotenv.ts";
import type { DockerServiceConfig } from "../config/schema.ts";
import { LABEL, namedNetwork, namedVolume, statusCodeOf } from "./docker-spec.ts";

/*
 * What a container needs before it can be created: its image (built when missing), its named
 * volumes and networks. Volumes and networks are created once, labelled, and never removed by
 * Vigil: a stop or a rollback replaces only the container, so a database keeps its data.
 */

/** KEY=value pairs of the service's env files, later files winning (compose's order). */
export async function readEnvFiles(service: DockerServiceConfig): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const file of service.env_file) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new Error(`env_file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    Object.assign(env, parseDotenv(text));
  }
  return env;
}

/** A service from a compose file gets volumes and networks `docker compose` recognises as its own. */
function composeLabels(
  service: DockerServiceConfig,
  kind: "volume" | "network",
  name: string,
): Record<string, string> {
  const composeProject = service.labels["com.docker.compose.project"];
  return composeProject === undefined
    ? {}
    : { "com.docker.compose.project": composeProject, [`com.docker.compose.${kind}`]: name };
}

/**
 * Creates the thing unless inspecting finds it (404 = missing; other errors stand). An external
 * one is never created: missing, it is an error naming it and how to make it.
 */
async function createIfMissing(
  inspect: () => Promise<unknown>,
  create: () => Promise<unknown>,
  external?: { what: string; fix: string },
): Promise<void> {
  try {
    await inspect();
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
    if (external)
      throw new Error(`${external.what} is external but does not exist: create it first (${external.fix})`);
    await create();
  }
}

export async function ensureVolumes(
  docker: Docker,
  project: string,
  service: DockerServiceConfig,
): Promise<void> {
  for (const mount of service.volumes) {
    if (mount.type !== "volume" || mount.source === undefined) continue;
    const name = namedVolume(project, mount.source, service);
    const spec = service.named_volumes[mount.source];
    // The user's labels first: Vigil's own marks cannot be overridden.
    const labels = {
      ...spec?.labels,
      [LABEL.project]: project,
      [LABEL.volume]: mount.source,
      ...composeLabels(service, "volume", mount.source),
    };
    await createIfMissing(
      () => docker.getVolume(name).inspect(),
      () =>
        docker.createVolume({
          Name: name,
          Labels: labels,
          ...(spec?.driver === undefined ? {} : { Driver: spec.driver }),
          ...(spec === undefined || Object.keys(spec.driver_opts).length === 0
            ? {}
            : { DriverOpts: spec.driver_opts }),
        }),
      service.named_volumes[mount.source]?.external
        ? { what: `volume "${name}" (volumes: ${mount.source})`, fix: `docker volume create ${name}` }
        : undefined,
    );
  }
}

export async function ensureNetworks(
  docker: Docker,
  project: string,
  service: DockerServiceConfig,
): Promise<void> {
  for (const network of Object.keys(service.networks)) {
    const name = namedNetwork(project, network, service);
    const spec = service.named_networks[network];
    const labels = {
      ...spec?.labels,
      [LABEL.project]: project,
      [LABEL.network]: network,
      ...composeLabels(service, "network", network),
    };
    await createIfMissing(
      () => docker.getNetwork(name).inspect(),
      () =>
        docker.createNetwork({
          Name: name,
          CheckDuplicate: true,
          Labels: labels,
          ...(spec?.driver === undefined ? {} : { Driver: spec.driver }),
          ...(spec === undefined || Object.keys(spec.driver_opts).length === 0
            ? {}
            : { Options: spec.driver_opts }),
        }),
      service.named_networks[network]?.external
        ? { what: `network "${name}" (networks: ${network})`, fix: `docker network create ${name}` }
        : undefined,
    );
  }
}

/**
 * Attaches the networks after the first (the create request carries only one endpoint on
 * engines before API 1.44). The service name is always an alias, as in compose.
 */
export async function connectExtraNetworks(
  docker: Docker,
  project: string,
  name: string,
  service: DockerServiceConfig,
  containerId: string,
): Promise<void> {
  for (const [network, { aliases }] of Object.entries(service.networks).slice(1)) {
    await docker
      .getNetwork(namedNetwork(project, network, service))
      .connect({ Container: containerId, EndpointConfig: { Aliases: [name, ...aliases] } });
  }
}

/**
 * Builds the service's image through the engine's API when `build` is set and the tag is not
 * there yet (compose's default: rebuild by changing the build spec or removing the image).
 */
export async function ensureImage(
  docker: Docker,
  service: DockerServiceConfig,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (!service.build) return;
  try {
    await docker.getImage(service.image).inspect();
    return;
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
  }
  const { context, dockerfile, args, target } = service.build;
  // dockerode tars `context` itself (tar-fs, honouring .dockerignore); src lists what to send.
  const stream = await docker.buildImage(
    { context, src: ["."] },
    {
      t: service.image,
      ...(dockerfile === undefined ? {} : { dockerfile }),
      ...(target === undefined ? {} : { target }),
      buildargs: args,
      labels: { [LABEL.revision]: service.image },
      ...(signal === undefined ? {} : { abortSignal: signal }),
    },
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: { error?: string }[]) => {
        const failed = error?.message ?? output.find((o) => o.error)?.error;
        if (failed) reject(new Error(`build of ${service.image} from ${context} failed: ${failed}`));
        else resolve();
      },
      (event: { stream?: string }) => {
        for (const line of (event.stream ?? "").split("\n")) if (line.trim()) onLine(line);
      },
    );
  });
}
