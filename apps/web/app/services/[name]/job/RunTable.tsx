import type { JobRunView } from "../../../../lib/jobs-contract";
import { formatMs, localDateTime } from "../../../_lib/time";

/** The run history, newest first: start, duration, exit code, trigger, outcome and output tail. */
export function RunTable({ runs }: { runs: JobRunView[] }) {
  return (
    <table className="w-full text-left text-sm" aria-label="Run history">
      <thead className="text-muted">
        <tr>
          <th className="py-1 font-normal">Started</th>
          <th className="py-1 font-normal">Duration</th>
          <th className="py-1 font-normal">Result</th>
          <th className="py-1 font-normal">Exit</th>
          <th className="py-1 font-normal">Trigger</th>
          <th className="py-1 font-normal">Output</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={`${r.runId}-${r.attempt}`} className="border-t border-line align-top">
            <td className="py-1">{localDateTime(r.startedAt)}</td>
            <td className="py-1">{r.durationMs === null ? "—" : formatMs(r.durationMs)}</td>
            <td className={`py-1 ${r.outcome === "succeeded" ? "text-st-healthy" : "text-st-unhealthy"}`}>
              {r.outcome}
              {r.attempt > 1 ? ` (attempt ${r.attempt})` : ""}
              {r.reason ? <div className="text-xs text-muted">{r.reason}</div> : null}
            </td>
            <td className="py-1">{r.exitCode ?? "—"}</td>
            <td className="py-1">{r.trigger}</td>
            <td className="py-1">
              {r.outputTail.length > 0 ? (
                <details>
                  <summary className="cursor-pointer">{r.outputTail.at(-1)}</summary>
                  <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap text-xs">
                    {r.outputTail.join("\n")}
                  </pre>
                </details>
              ) : (
                <span className="text-muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
