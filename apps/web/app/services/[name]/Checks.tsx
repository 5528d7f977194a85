"use client";

import type { CheckView, ServiceView } from "../../../lib/contract";
import { DockerHealthBadge } from "../../_components/DockerHealthBadge";
import { StatusPill } from "../../_components/StatusPill";
import { useHydrated, useUrlState } from "../../_lib/hooks";
import { clockTime, formatMs } from "../../_lib/time";
import { StagedLadder } from "./StagedLadder";

/** Each check: its latest result, message, latency and when; staged checks show their ladder. */
export function Checks({ service, selected }: { service: ServiceView; selected?: string }) {
  const [, setUrl] = useUrlState();
  const hydrated = useHydrated();
  return (
    <section aria-labelledby="checks-title" className="rounded-lg border border-line bg-surface p-4">
      <h2 id="checks-title" className="mb-2 font-semibold">
        Checks
      </h2>
      {service.checks.length === 0 ? (
        <p className="text-sm text-muted">No checks have reported yet.</p>
      ) : null}
      <ul className="space-y-3">
        {service.checks.map((c: CheckView) => (
          <li
            key={c.name}
            className={`rounded-md border p-3 ${selected === c.name ? "border-accent" : "border-line"}`}
            data-testid="check"
            data-check={c.name}
          >
            <div className="flex flex-wrap items-center gap-2">
              <button
                type="button"
                className="font-semibold underline-offset-2 hover:underline"
                aria-pressed={selected === c.name}
                onClick={() => setUrl({ check: selected === c.name ? null : c.name })}
                title="Chart this check only"
              >
                {c.name}
              </button>
              <span className="text-xs text-muted">{c.kind}</span>
              {c.lastStatus ? (
                <StatusPill status={c.lastStatus} size="sm" />
              ) : (
                <StatusPill status="unknown" size="sm" />
              )}
              {c.dockerHealth ? <DockerHealthBadge health={c.dockerHealth} size="sm" /> : null}
              {c.circuit !== "closed" ? (
                <span className="rounded bg-st-degraded-bg px-1.5 py-0.5 text-xs font-medium text-st-degraded">
                  circuit {c.circuit}
                </span>
              ) : null}
              <span className="ml-auto text-xs text-muted">
                {formatMs(c.lastLatencyMs)}
                {c.lastAt && hydrated ? ` · ${clockTime(c.lastAt)}` : ""}
              </span>
            </div>
            {c.lastMessage ? (
              <p className="mt-1 break-words font-mono text-xs text-muted">{c.lastMessage}</p>
            ) : null}
            {c.stage || (c.stages && c.stages.length > 0) ? <StagedLadder check={c} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
