"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { memo, useMemo } from "react";
import { api, keys } from "../../_lib/api";
import { useHydrated, useNow, useUrlState } from "../../_lib/hooks";
import { presetStepMs, type RangeSpec, resolveRange } from "../../_lib/range";
import { formatPercent, localDateTime } from "../../_lib/time";
import { isResourceSeries } from "../../_lib/values";
import { RangeBar } from "./RangeBar";

// Recharts is most of this page's JavaScript: load it after the page is interactive.
const LatencyChart = dynamic(() => import("./LatencyChart").then((m) => m.LatencyChart), {
  ssr: false,
  loading: () => <div className="flex h-72 items-center justify-center text-muted">Loading chart…</div>,
});

// Value charts share recharts with the latency chart: loaded the same way, and only when a check has values.
const ValueCharts = dynamic(() => import("./ValueCharts").then((m) => m.ValueCharts), { ssr: false });

/**
 * The chosen window: range controls, the absolute window, uptime for it, latency and value charts.
 * Memoised, and given the service's name rather than its live view: live results arrive many
 * times a second on a busy stack and must not redraw the charts; the history query refreshes them.
 */
export const HistoryPanel = memo(function HistoryPanel({
  service,
  range,
  check,
}: {
  service: string;
  range: RangeSpec;
  check?: string;
}) {
  const now = useNow(range.kind === "preset" ? presetStepMs(range.preset) : 3_600_000);
  const hydrated = useHydrated();
  const [, setUrl] = useUrlState();
  const w = resolveRange(range, now);
  // A sliding preset is one query that refetches each step, its window resolved when it runs.
  // Keyed by the window instead, every slide changed the key and cancelled the request in flight:
  // on a server slower than the step (7.5 s for 15 m, a loaded host) no answer ever arrived and
  // the chart never drew (issue 19, "the suite under load").
  const sliding = range.kind === "preset" ? range.preset : null;
  const history = useQuery({
    queryKey: keys.history(service, check, sliding ?? w.from, sliding ? "" : w.to),
    queryFn: ({ signal }) => {
      const at = resolveRange(range, Date.now());
      return api.history({ service: service, check, from: at.from, to: at.to }, signal);
    },
    placeholderData: keepPreviousData,
    staleTime: sliding ? 5_000 : 60_000,
    refetchInterval: sliding ? presetStepMs(sliding) : false,
  });
  const data = history.data;
  // Runner-measured CPU/memory get their own group beside latency; check values follow.
  const values = data?.values;
  const resources = useMemo(() => values?.filter(isResourceSeries) ?? [], [values]);
  const checkValues = useMemo(() => values?.filter((v) => !isResourceSeries(v)) ?? [], [values]);
  return (
    <section
      aria-labelledby="history-title"
      className="rounded-lg border border-line bg-surface p-4"
      data-testid="history"
    >
      <div className="mb-3 flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="history-title" className="font-semibold">
          Latency{check ? ` · check ${check}` : " · all checks"}
        </h2>
        {check ? (
          <button type="button" className="text-xs underline" onClick={() => setUrl({ check: null })}>
            show all checks
          </button>
        ) : null}
        <p className="text-sm" data-testid="window">
          <time dateTime={w.from} data-testid="window-from">
            {hydrated ? localDateTime(w.from) : w.from}
          </time>
          {" → "}
          <time dateTime={w.to} data-testid="window-to">
            {hydrated ? localDateTime(w.to) : w.to}
          </time>
        </p>
        <p className="ml-auto text-sm">
          <span className="text-muted">Uptime in range: </span>
          <strong data-testid="range-uptime">{data ? formatPercent(data.uptime) : "…"}</strong>
        </p>
      </div>
      <RangeBar service={service} spec={range} window={w} />
      <div className="mt-3">
        {data ? (
          <>
            {history.error ? (
              // A failed refresh (a loaded server timing out) keeps the last chart on screen.
              <p role="status" className="mb-1 text-xs text-muted">
                Showing the last answer; refreshing failed: {history.error.message}
              </p>
            ) : null}
            {/* Drawn over the window the data was read for, so points and axis always agree. */}
            <LatencyChart data={data} fromMs={Date.parse(data.from)} toMs={Date.parse(data.to)} />
            {resources.length > 0 ? (
              <section aria-label="Resources over this range" data-testid="resource-charts">
                <h3 className="mt-4 text-sm font-semibold text-muted">Resources (measured by the runner)</h3>
                <ValueCharts series={resources} fromMs={Date.parse(data.from)} toMs={Date.parse(data.to)} />
              </section>
            ) : null}
            {checkValues.length > 0 ? (
              <ValueCharts series={checkValues} fromMs={Date.parse(data.from)} toMs={Date.parse(data.to)} />
            ) : null}
          </>
        ) : history.error ? (
          <p role="alert" className="text-st-unhealthy">
            Cannot load history: {history.error.message}
          </p>
        ) : (
          <div className="flex h-72 items-center justify-center text-muted">Loading history…</div>
        )}
      </div>
    </section>
  );
});
