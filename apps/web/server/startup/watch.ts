import { type FSWatcher, watch } from "node:fs";
import { dirname } from "node:path";
import { errorMessage } from "../async.ts";

/**
 * Calls `onChange` once per burst of edits to any of `files`. Watches the directories, not the
 * files, because editors replace files on save (rename), which ends a file watch silently.
 */
export function watchConfigFiles(
  files: string[],
  onChange: () => void,
  opts: { debounceMs?: number; log?: (line: string) => void } = {},
): () => void {
  const debounceMs = opts.debounceMs ?? 300;
  const names = new Set(files);
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(files.map((f) => dirname(f)))) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null && !names.has(`${dir}/${name}`)) return;
        clearTimeout(timer);
        timer = setTimeout(onChange, debounceMs);
      });
      w.on("error", (err) => opts.log?.(`config watch on ${dir} stopped: ${err.message}`));
      watchers.push(w);
    } catch (err) {
      opts.log?.(`cannot watch ${dir}: ${errorMessage(err)}`);
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
