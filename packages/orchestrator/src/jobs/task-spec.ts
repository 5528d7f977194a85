import type { Config, JobServiceConfig } from "../config/schema.ts";
import type { Retention } from "./backup/retention.ts";
import type { BackupSpec } from "./tasks/backup.ts";
import type { TaskSpec } from "./tasks/registry.ts";

type BackupConfig = NonNullable<JobServiceConfig["backup"]>;

/** What a configured job runs, as the task family's data (config validation ensured one task). */
export function taskSpec(svc: JobServiceConfig, config: Config): TaskSpec {
  if (svc.image !== undefined)
    return {
      kind: "container",
      image: svc.image,
      ...(svc.command !== undefined ? { command: svc.command } : {}),
      env: svc.env,
      volumes: svc.volumes,
      ...(svc.network !== undefined ? { network: svc.network } : {}),
      project: config.project,
    };
  if (svc.backup) return { kind: "backup", backup: backupSpec(svc.backup) };
  if (svc.drill) {
    const target = config.services[svc.drill.of];
    const backup = target?.kind === "job" ? target.backup : undefined;
    if (backup?.type !== "postgres")
      throw new Error(`drill.of: "${svc.drill.of}" is not a postgres backup job`);
    return {
      kind: "drill",
      of: svc.drill.of,
      destination: backup.destination,
      server: svc.drill.url ? { url: svc.drill.url } : { ...(backup.url ? { url: backup.url } : {}) },
      check: svc.drill.check,
      expect: {
        ...(svc.drill.expect.min_rows !== undefined ? { minRows: svc.drill.expect.min_rows } : {}),
        ...(svc.drill.expect.equals !== undefined ? { equals: svc.drill.expect.equals } : {}),
      },
    };
  }
  return {
    kind: "command",
    command: svc.command ?? "true",
    ...(svc.cwd ? { cwd: svc.cwd } : {}),
    env: svc.env,
  };
}

function backupSpec(b: BackupConfig): BackupSpec {
  const retention: Retention = {
    ...(b.retention.keep_days !== undefined ? { keepDays: b.retention.keep_days } : {}),
    ...(b.retention.keep_copies !== undefined ? { keepCopies: b.retention.keep_copies } : {}),
  };
  switch (b.type) {
    case "postgres":
      return {
        type: "postgres",
        ...(b.url ? { url: b.url } : {}),
        ...(b.database ? { database: b.database } : {}),
        destination: b.destination,
        retention,
      };
    case "redis":
      return { type: "redis", url: b.url, destination: b.destination, retention };
    case "files":
      return {
        type: "files",
        paths: b.paths,
        ...(b.volume ? { volume: b.volume } : {}),
        destination: b.destination,
        retention,
      };
  }
}
