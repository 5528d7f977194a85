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
  /** Digest of the create request: an equal digest means the container can be reused as is. */
  configHash: "vigil.config-hash",
  /** On volumes and networks Vigil created: what it made (it never deletes them). */
  volume: "vigil.volume",
  network: "vigil.network",
  /** Digest of the secrets and configs copied in: a changed value means a new container. */
  copiedFiles: "vigil.copied-files",
} as const;

type Named = Partial<Pick<DockerServiceConfig, "named_volumes" | "named_networks">>;

/**
 * Named volumes and networks are project-scoped the way compose scopes them, `<project>_<name>`,
 * unless the service names them otherwise (compose's `name:` or `external`).
 */
export const namedVolume = (project: string, name: string, service?: Named): string =>
  service?.named_volumes?.[name]?.name ?? `${project}_${name}`;
export const namedNetwork = (project: string, name: string, service?: Named): string =>
  service?.named_networks?.[name]?.name ?? `${project}_${name}`;

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
