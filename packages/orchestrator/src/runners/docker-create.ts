import { createHash } from "node:crypto";
import type Docker from "dockerode";
import type { DockerServiceConfig, RestartPolicySpec } from "../config/schema.ts";
import { shellWords } from "../config/shell-words.ts";
import { copiedFilesDigest, fileBinds } from "./docker-files.ts";
import { healthConfigOf } from "./docker-healthcheck.ts";
import { containerNameOf, LABEL, namedNetwork, namedVolume } from "./docker-spec.ts";

/** The network mode a service runs in: its first named network, else `network`, else host. */
export function networkModeOf(project: string, service: DockerServiceConfig): string {
  const first = Object.keys(service.networks)[0];
  return first === undefined ? (service.network ?? "host") : namedNetwork(project, first, service);
}

/**
 * Docker's own restart policy mirrors Vigil's, so a crash is restarted while no Vigil runs.
 * Docker never restarts a container that was stopped or killed through its API (`docker stop`,
 * `docker kill`); Vigil's policy covers that case when it runs (see the runner's exit handling).
 */
export function restartPolicyOf(restart: RestartPolicySpec): { Name: string; MaximumRetryCount?: number } {
  if (restart.policy === "on-failure") {
    return restart.max_retries === undefined
      ? { Name: "on-failure" }
      : { Name: "on-failure", MaximumRetryCount: restart.max_retries };
  }
  return { Name: restart.policy };
}

function portBindings(service: DockerServiceConfig) {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
  for (const spec of service.ports) {
    const [mapping = "", proto = "tcp"] = spec.split("/");
    const parts = mapping.split(":");
    const container = parts.at(-1) ?? "";
    const host = parts.length >= 2 ? (parts.at(-2) ?? "") : container;
    const ip = parts.length === 3 ? parts[0] : undefined;
    const key = `${container}/${proto}`;
    exposed[key] = {};
    bindings[key] = [{ ...(ip === undefined ? {} : { HostIp: ip }), HostPort: host }];
  }
  return { exposed, bindings };
}

function mountsOf(project: string, service: DockerServiceConfig): Docker.MountSettings[] {
  const volumes = service.volumes.map((m) => ({
    Type: m.type,
    Target: m.target,
    ReadOnly: m.read_only,
    // An empty source asks Docker for an anonymous volume.
    Source:
      m.source === undefined ? "" : m.type === "volume" ? namedVolume(project, m.source, service) : m.source,
  }));
  return [...volumes, ...fileBinds(service)];
}

function hostConfigOf(project: string, service: DockerServiceConfig): Docker.HostConfig {
  const { cpus, memory, pids, reservations } = service.resources;
  const mode = networkModeOf(project, service);
  // Host networking shares the host's ports: publishing is meaningless there (Docker ignores it).
  const { bindings } = mode === "host" ? { bindings: {} } : portBindings(service);
  return {
    NetworkMode: mode,
    PortBindings: bindings,
    RestartPolicy: restartPolicyOf(service.restart),
    Mounts: mountsOf(project, service),
    ...(cpus === undefined ? {} : { NanoCpus: Math.round(cpus * 1e9) }),
    ...(memory === undefined ? {} : { Memory: memory }),
    ...(pids === undefined ? {} : { PidsLimit: pids }),
    ...(reservations?.memory === undefined ? {} : { MemoryReservation: reservations.memory }),
    ...(service.extra_hosts.length === 0 ? {} : { ExtraHosts: service.extra_hosts }),
    ...(service.cap_add.length === 0 ? {} : { CapAdd: service.cap_add }),
    ...(service.cap_drop.length === 0 ? {} : { CapDrop: service.cap_drop }),
    ...(service.devices.length === 0
      ? {}
      : {
          Devices: service.devices.map((spec) => {
            const [host = "", inside, perms] = spec.split(":");
            return { PathOnHost: host, PathInContainer: inside ?? host, CgroupPermissions: perms ?? "rwm" };
          }),
        }),
    ...(Object.keys(service.ulimits).length === 0
      ? {}
      : {
          Ulimits: Object.entries(service.ulimits).map(([Name, { soft, hard }]) => ({
            Name,
            Soft: soft,
            Hard: hard,
          })),
        }),
    ...(service.tmpfs.length === 0
      ? {}
      : {
          Tmpfs: Object.fromEntries(
            service.tmpfs.map((spec) => {
              const at = spec.indexOf(":");
              return at < 0 ? [spec, ""] : [spec.slice(0, at), spec.slice(at + 1)];
            }),
          ),
        }),
  };
}

/** The create request for a service, with its env files already read (`fileEnv`). */
export function createOptions(
  project: string,
  name: string,
  service: DockerServiceConfig,
  fileEnv: Record<string, string> = {},
): Docker.ContainerCreateOptions {
  const mode = networkModeOf(project, service);
  const { exposed } = mode === "host" ? { exposed: {} } : portBindings(service);
  const firstNetwork = Object.entries(service.networks)[0];
  const health = healthConfigOf(service.healthcheck);
  const copied = copiedFilesDigest(service);
  const options: Docker.ContainerCreateOptions = {
    name: containerNameOf(project, name, service),
    Image: service.image,
    ...(service.command === undefined
      ? {}
      : { Cmd: typeof service.command === "string" ? ["sh", "-c", service.command] : service.command }),
    ...(service.entrypoint === undefined
      ? {}
      : {
          Entrypoint:
            typeof service.entrypoint === "string" ? shellWords(service.entrypoint) : service.entrypoint,
        }),
    Env: Object.entries({ ...fileEnv, ...service.env }).map(([key, value]) => `${key}=${value}`),
    Labels: {
      ...service.labels,
      [LABEL.project]: project,
      [LABEL.service]: name,
      [LABEL.revision]: service.image,
      ...(copied === undefined ? {} : { [LABEL.copiedFiles]: copied }),
    },
    ExposedPorts: exposed,
    ...(service.user === undefined ? {} : { User: service.user }),
    ...(service.working_dir === undefined ? {} : { WorkingDir: service.working_dir }),
    ...(service.stop_signal === undefined ? {} : { StopSignal: service.stop_signal }),
    StopTimeout: Math.ceil(service.stop_grace / 1000),
    ...(health === undefined ? {} : { Healthcheck: health }),
    HostConfig: hostConfigOf(project, service),
    ...(firstNetwork === undefined
      ? {}
      : {
          NetworkingConfig: {
            EndpointsConfig: {
              [namedNetwork(project, firstNetwork[0], service)]: {
                Aliases: [name, ...firstNetwork[1].aliases],
              },
            },
          },
        }),
  };
  const labels = options.Labels ?? {};
  labels[LABEL.configHash] = configHashOf(options);
  return options;
}

/** A digest of everything a container is created from: equal digests mean it can be reused as is. */
export function configHashOf(options: Docker.ContainerCreateOptions): string {
  const { [LABEL.configHash]: _ignored, ...labels } = options.Labels ?? {};
  const text = JSON.stringify({ ...options, Labels: labels });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
