import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import type { CheckSpec, Config, DockerServiceConfig, JobServiceConfig } from "./schema.ts";

/**
 * Relative `cwd` values in the config mean "relative to the config file", not to wherever Vigil
 * was started, so an example directory works from anywhere. Process services without a `cwd`
 * run in the config file's directory. The typed config only ever holds absolute cwds; docker
 * services likewise hold absolute bind sources, env files, secret and config files and build
 * contexts.
 */
export function resolveWorkingDirs(config: Config, configDir: string): Config {
  const at = (dir: string | undefined) =>
    dir === undefined || isAbsolute(dir) ? dir : resolve(configDir, dir);
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, service]) => {
      const checks = service.checks.map((check) => resolveCheck(check, at));
      if (service.kind === "docker") return [name, { ...resolveDocker(service, configDir), checks }];
      if (service.kind === "job") return [name, { ...resolveJob(service, configDir), checks }];
      if (service.kind !== "process") return [name, { ...service, checks }];
      return [name, { ...service, checks, cwd: at(service.cwd ?? ".") }];
    }),
  );
  return { ...config, services };
}

function resolveCheck(check: CheckSpec, at: (dir: string | undefined) => string | undefined): CheckSpec {
  switch (check.kind) {
    case "command":
      return check.cwd === undefined ? check : { ...check, cwd: at(check.cwd) };
    case "composite":
      return { ...check, checks: check.checks.map((c) => resolveCheck(c, at)) };
    case "staged":
      return {
        ...check,
        stages: check.stages.map((stage) => ({ ...stage, check: resolveCheck(stage.check, at) })),
      };
    default:
      return check;
  }
}

const pathAt = (configDir: string) => (path: string) =>
  path.startsWith("~/")
    ? resolve(homedir(), path.slice(2))
    : isAbsolute(path)
      ? path
      : resolve(configDir, path);

/** A job's cwd, bind mounts, backup destination and backed-up paths. */
function resolveJob(service: JobServiceConfig, configDir: string): JobServiceConfig {
  const at = pathAt(configDir);
  const backup = service.backup;
  return {
    ...service,
    ...(service.cwd !== undefined ? { cwd: at(service.cwd) } : {}),
    volumes: service.volumes.map((m) =>
      m.type === "bind" && m.source !== undefined ? { ...m, source: at(m.source) } : m,
    ),
    ...(backup
      ? {
          backup:
            backup.type === "files"
              ? { ...backup, destination: at(backup.destination), paths: backup.paths.map(at) }
              : { ...backup, destination: at(backup.destination) },
        }
      : {}),
  };
}

function resolveDocker(service: DockerServiceConfig, configDir: string): DockerServiceConfig {
  const at = pathAt(configDir);
  return {
    ...service,
    env_file: service.env_file.map(at),
    volumes: service.volumes.map((m) =>
      m.type === "bind" && m.source !== undefined ? { ...m, source: at(m.source) } : m,
    ),
    secret_mounts: service.secret_mounts.map((m) => (m.file === undefined ? m : { ...m, file: at(m.file) })),
    config_mounts: service.config_mounts.map((m) => (m.file === undefined ? m : { ...m, file: at(m.file) })),
    ...(service.build ? { build: { ...service.build, context: at(service.build.context) } } : {}),
  };
}
