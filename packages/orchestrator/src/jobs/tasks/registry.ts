import { type BackupTaskSpec, backupTask } from "./backup.ts";
import { type CommandTaskSpec, commandTask } from "./command.ts";
import { type ContainerTaskSpec, containerTask } from "./container.ts";
import { type DrillTaskSpec, drillTask } from "./drill.ts";
import type { JobTask } from "./task.ts";

/** What a job runs, as plain data (compared on reload, so a changed job is swapped). */
export type TaskSpec = CommandTaskSpec | ContainerTaskSpec | BackupTaskSpec | DrillTaskSpec;

export function taskFor(spec: TaskSpec): JobTask {
  switch (spec.kind) {
    case "command":
      return commandTask(spec);
    case "container":
      return containerTask(spec);
    case "backup":
      return backupTask(spec.backup);
    case "drill":
      return drillTask(spec);
  }
}
