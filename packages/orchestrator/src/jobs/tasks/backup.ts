import { type FilesBackupSpec, filesBackupTask } from "./files-backup.ts";
import { type PostgresBackupSpec, postgresBackupTask } from "./postgres-backup.ts";
import { type RedisBackupSpec, redisBackupTask } from "./redis-backup.ts";
import type { JobTask } from "./task.ts";

export type BackupSpec = PostgresBackupSpec | RedisBackupSpec | FilesBackupSpec;

export interface BackupTaskSpec {
  kind: "backup";
  backup: BackupSpec;
}

/** A backup template: a dump of Postgres, an RDB of Redis, or a tarball of files, by type. */
export function backupTask(spec: BackupSpec): JobTask {
  switch (spec.type) {
    case "postgres":
      return postgresBackupTask(spec);
    case "redis":
      return redisBackupTask(spec);
    case "files":
      return filesBackupTask(spec);
  }
}
