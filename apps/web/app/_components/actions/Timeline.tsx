"use client";

import type { ActionView } from "../../../lib/contract";
import { useNow } from "../../_lib/hooks";
import { barTone, lanes } from "./timeline";

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * The startup (or stop) timeline: one lane per wave, one bar per service from "starting" to
 * healthy/failed, with elapsed time; driven by `action` socket deltas through the cache.
 */
export function Timeline({ action }: { action: ActionView }) {
  const running = action.result === "running";
  const now = useNow(running ? 250 : 60_000);
  const t0 = Date.parse(action.startedAt);
  const t1 = action.finishedAt ? Date.parse(action.finishedAt) : Math.max(now, t0 + 1000);
  const span = Math.max(1000, t1 - t0);
  /** Where `t` falls in the window, 0–100. */
  const at = (t: number) => Math.min(100, Math.max(0, ((t - t0) / span) * 100));
  const pct = (n: number) => `${n.toFixed(2)}%`;
  const rows = lanes(action);
  return (
    <div data-testid="timeline" className="space-y-2">
      {rows.map((wave, w) => (
        <section
          key={wave.join(",") || w}
          aria-label={`Wave ${w + 1}`}
          className="rounded-md border border-line/70 p-2"
        >
          <h4 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-muted">Wave {w + 1}</h4>
          <ul className="space-y-1">
            {wave.map((bar) => {
              const end = bar.end ?? (running ? now : t1);
              const elapsed = bar.start === null ? null : end - bar.start;
              return (
                <li
                  key={bar.service}
                  className="grid grid-cols-[8.5rem_1fr_5.5rem] items-center gap-2 text-xs"
                  data-testid="timeline-row"
                  data-service={bar.service}
                  data-state={bar.state}
                >
                  <span className="truncate font-medium" title={bar.service}>
                    {bar.service}
                  </span>
                  <span className="relative h-4 rounded bg-surface-2">
                    {bar.start === null ? null : (
                      // SVG geometry attributes place the bar: the CSP refuses style attributes
                      // (proxy.ts). The 3 px rect keeps a bar visible however short it is.
                      <svg className="absolute inset-0 h-full w-full" aria-hidden="true">
                        <g
                          className={`${barTone(bar.state)} ${bar.end === null ? "opacity-70 pulse-dot" : ""}`}
                        >
                          <rect
                            x={pct(at(bar.start))}
                            width={pct(Math.max(0, at(end) - at(bar.start)))}
                            height="100%"
                            rx={4}
                          />
                          <rect x={pct(at(bar.start))} width={3} height="100%" rx={1.5} />
                        </g>
                      </svg>
                    )}
                  </span>
                  <span
                    className="truncate text-right text-muted"
                    title={bar.message ?? bar.stage ?? undefined}
                  >
                    {bar.state}
                    {elapsed === null ? "" : ` · ${seconds(elapsed)}`}
                  </span>
                  {bar.stage && bar.end === null ? (
                    <span className="col-start-2 col-end-4 -mt-0.5 text-[11px] text-st-starting">
                      stage: {bar.stage}
                    </span>
                  ) : null}
                  {bar.state === "failed" && bar.message ? (
                    <span className="col-start-2 col-end-4 -mt-0.5 text-[11px] text-st-unhealthy">
                      {bar.message}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
