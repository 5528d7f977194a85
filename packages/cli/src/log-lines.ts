import { readFileSync } from "node:fs";
import { join } from "node:path";

/** `2026-11-23T10:06:58.367Z stdout <line>`: how the process runner writes its log files. */
const FILE_PREFIX = /^\S+Z (?:stdout|stderr) /;

/**
 * The last `n` lines of a service's log file under the state directory. The engine's `logs()`
 * only holds lines seen by this process, and a CLI invocation attaching to services an earlier
 * one started has seen none yet, so `vigil logs` falls back to the file the runner keeps.
 */
export function logFileTail(stateDir: string, service: string, n: number): string[] {
  let text: string;
  try {
    text = readFileSync(join(stateDir, "logs", `${service}.log`), "utf8");
  } catch {
    return [];
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-Math.max(0, n)).map((line) => line.replace(FILE_PREFIX, ""));
}
