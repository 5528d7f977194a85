import type { JobRun } from "./run-once.ts";

const durationText = (ms: number) => (ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** Why a run did not succeed, as the board and the run history say it ("exit code 3"). */
export function runReason(run: JobRun, timeoutMs?: number): string {
  if (run.outcome === "timeout")
    return timeoutMs === undefined ? "timed out" : `timed out after ${durationText(timeoutMs)}`;
  if (run.outcome === "replaced") return "replaced by a newer run";
  if (run.exitCode !== null) return `exit code ${run.exitCode}`;
  const lastLine = run.outputTail.at(-1);
  return run.signal ? `killed by ${run.signal}` : (lastLine ?? "did not start");
}
