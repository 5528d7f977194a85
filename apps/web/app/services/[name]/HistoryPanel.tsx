"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import type { ServiceView } from "../../../lib/contract";
import { api, keys } from "../../_lib/api";
import { useHydrated, useNow, useUrlState } from "../../_lib/hooks";
import { presetStepMs, type RangeSpec, resolveRange } from "../../_lib/range";
import { formatPercent, localDateTime } from "../../_lib/time";
import { RangeBar } from "./RangeBar";

// Recharts is most of this page's JavaScript: load it after the page is interactive.
const LatencyChart = dynamic(() => import("./LatencyChart").then((m) => m.LatencyChart), {
  ssr: false,
  loading: () => <div className="flex h-72 items-center justify-center text-muted">Loading chart…</div>,
});

/** The chosen window: range controls, the absolute window, uptime for it and the latency chart. */
export function HistoryPanel({
  service,
  range,
  check,
}: {
  service: ServiceView;
  range: RangeSpec;
  check?: string;
}) {
  const now = useNow(range.kind === "preset" ? presetStepMs(range.preset) : 3_600_000);
  const hydrated = useHydrated();
  const [, setUrl] = useUrlState();
  const w = resolveRange(range, now);
  const history = useQuery({
    queryKey: keys.history(service.name, check, w.from, w.to),
    queryFn: ({ signal }) => api.history({ service: service.name, check, from: w.from, to: w.to }, signal),
    placeholderData: keepPreviousData,
    staleTime: range.kind === "absolute" ? 60_000 : 5_000,
  });
  const data = history.data;
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
      <RangeBar service={service.name} spec={range} window={w} />
      <div className="mt-3">
        {history.error ? (
          <p role="alert" className="text-st-unhealthy">
            Cannot load history: {history.error.message}
          </p>
        ) : data ? (
          <LatencyChart data={data} fromMs={Date.parse(w.from)} toMs={Date.parse(w.to)} />
        ) : (
          <div className="flex h-72 items-center justify-center text-muted">Loading history…</div>
        )}
      </div>
    </section>
  );
}
