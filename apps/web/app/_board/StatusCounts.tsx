"use client";

import type { ServiceStatus } from "../../lib/contract";
import { StatusIcon } from "../_components/icons";
import { type StatusCounts as Counts, STATUS_META, STATUSES } from "../_lib/status";

/** Per-status counts (from the same array as the tiles); each is a filter toggle. */
export function StatusCounts({
  counts,
  selected,
  onToggle,
}: {
  counts: Counts;
  selected: ServiceStatus[];
  onToggle: (s: ServiceStatus) => void;
}) {
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Services per status (click to filter)">
      {STATUSES.map((status) => {
        const m = STATUS_META[status];
        const n = counts[status];
        const on = selected.includes(status);
        return (
          <li key={status}>
            <button
              type="button"
              aria-pressed={on}
              onClick={() => onToggle(status)}
              data-testid={`count-${status}`}
              data-count={n}
              className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-sm font-semibold ring-1 ${
                on
                  ? `${m.bg} ${m.text} ring-current`
                  : n > 0
                    ? `${m.text} ring-line`
                    : "text-muted ring-line opacity-60"
              }`}
            >
              <StatusIcon status={status} size={14} />
              <span className="tabular-nums">{n}</span>
              <span className="font-medium">{m.word}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
