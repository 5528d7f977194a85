import type Docker from "dockerode";
import type { Config, DockerServiceConfig } from "../config/schema.ts";

export const containerNameOf = (project: string, name: string, service: DockerServiceConfig): string =>
  service.container_name ?? `vigil-${project}-${name}`;

/** The container of service `name` in `config` when it is a docker service (the monitor's `containerFor`). */
export function containerOf(config: Config, name: string): string | undefined {
  const service = config.services[name];
  return service?.kind === "docker" ? containerNameOf(config.project, name, service) : undefined;
}

/** Labels marking what Vigil owns, so a restarted Vigil finds its containers. */
export const LABEL = {
  project: "vigil.project",
  service: "vigil.service",
  revision: "vigil.revision",
} as const;

/** The create request for a service: image, command, env, ports, network, limits, labels. */
export function createOptions(
  project: string,
  name: string,
  service: DockerServiceConfig,
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostPort: string }[]> = {};
  // Host networking shares the host's ports: publishing is meaningless there (Docker ignores it).
  if (service.network !== "host") {
    for (const spec of service.ports) {
      const [mapping = "", proto = "tcp"] = spec.split("/");
      const [host, container] = mapping.includes(":") ? mapping.split(":") : [mapping, mapping];
      const key = `${container}/${proto}`;
      exposed[key] = {};
      bindings[key] = [{ HostPort: host ?? "" }];
    }
  }
  const { cpus, memory, reservations } = service.resources;
  return {
    name: containerNameOf(project, name, service),
    Image: service.image,
    ...(service.command === undefined
      ? {}
      : { Cmd: typeof service.command === "string" ? ["sh", "-c", service.command] : service.command }),
    Env: Object.entries(service.env).map(([key, value]) => `${key}=${value}`),
    Labels: {
      ...service.labels,
      [LABEL.project]: project,
      [LABEL.service]: name,
      [LABEL.revision]: service.image,
    },
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: service.network,
      PortBindings: bindings,
      ...(cpus === undefined ? {} : { NanoCpus: Math.round(cpus * 1e9) }),
      ...(memory === undefined ? {} : { Memory: memory }),
      ...(reservations?.memory === undefined ? {} : { MemoryReservation: reservations.memory }),
    },
  };
}

interface StatsSample {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: { inactive_file?: number; cache?: number } };
}

/** CPU % (of one core, as `docker stats` shows it) and memory without page cache. */
export function resourcesOf(sample: StatsSample): { cpuPercent: number; memoryBytes: number } {
  const cpu = sample.cpu_stats;
  const pre = sample.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus ?? 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const mem = sample.memory_stats;
  const cache = mem?.stats?.inactive_file ?? mem?.stats?.cache ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryBytes: Math.max(0, (mem?.usage ?? 0) - cache),
  };
}

/** Status code of a Docker API error (404 no such container, 304 already stopped…). */
export const statusCodeOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number"
    ? error.statusCode
    : undefined;
