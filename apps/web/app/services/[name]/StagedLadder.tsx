import type { CheckView } from "../../../lib/contract";

/** A staged check as steps: reached (✓), failed (✗), not reached (○). */
export function StagedLadder({ check }: { check: CheckView }) {
  const stage = check.stage;
  const total = stage?.total ?? check.stages?.length ?? 0;
  // stage.index counts the stages passed (1-based position of `reached`); a failure is the next one.
  const passed = stage?.index ?? 0;
  const failedIdx = stage?.failedAt ? passed : -1;
  const names =
    check.stages ??
    Array.from({ length: total }, (_, i) => {
      if (stage?.reached && i === passed - 1) return stage.reached;
      if (stage?.failedAt && i === failedIdx) return stage.failedAt;
      return `stage ${i + 1}`;
    });
  return (
    <ol
      className="mt-2 flex flex-wrap items-center gap-1 text-xs"
      aria-label={`Stages of ${check.name}`}
      data-testid="ladder"
    >
      {names.map((n, i) => {
        const failed = i === failedIdx;
        const reached = !failed && i < passed;
        const tone = failed
          ? "bg-st-unhealthy-bg text-st-unhealthy ring-st-unhealthy/50"
          : reached
            ? "bg-st-healthy-bg text-st-healthy ring-st-healthy/50"
            : "text-muted ring-line";
        return (
          <li key={n} className="flex items-center gap-1">
            {i > 0 ? (
              <span aria-hidden="true" className="text-muted">
                →
              </span>
            ) : null}
            <span
              className={`rounded px-1.5 py-0.5 font-medium ring-1 ${tone}`}
              data-state={failed ? "failed" : reached ? "reached" : "pending"}
            >
              {failed ? "✗" : reached ? "✓" : "○"} {n}
              <span className="sr-only">
                {failed ? " (failed)" : reached ? " (reached)" : " (not reached)"}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
