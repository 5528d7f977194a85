import type { TaskContext, TaskExit } from "../tasks/task.ts";
import { discardPartial, listCopies, newCopyPath, publishCopy, removeCopy } from "./copies.ts";
import { copiesToPrune, type Retention } from "./retention.ts";

export interface CopyTarget {
  destination: string;
  retention: Retention;
  /** File extension of a copy: dump, rdb, tar.gz. */
  ext: string;
}

/**
 * The skeleton every backup template shares: make a temporary copy, publish it when the producer
 * succeeded (or throw it away), then apply retention to the job's copies.
 */
export async function writeCopy(
  ctx: TaskContext,
  target: CopyTarget,
  produce: (partialPath: string) => Promise<TaskExit>,
): Promise<TaskExit> {
  const paths = await newCopyPath(target.destination, ctx.job, target.ext);
  let exit: TaskExit;
  try {
    exit = await produce(paths.partial);
  } catch (error) {
    await discardPartial(paths);
    throw error;
  }
  if (exit.exitCode !== 0 || ctx.signal.aborted) {
    await discardPartial(paths);
    return exit;
  }
  const size = await publishCopy(paths);
  ctx.log(`wrote ${paths.final} (${size} bytes)`);
  const copies = await listCopies(target.destination, ctx.job);
  for (const copy of copiesToPrune(copies, target.retention, new Date())) {
    await removeCopy(copy);
    ctx.log(`pruned ${copy.file} (retention)`);
  }
  return exit;
}
