"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { EventView } from "../../lib/contract";
import { api, keys } from "../_lib/api";
import { useHydrated } from "../_lib/hooks";
import { serviceHref, windowAround } from "../_lib/range";
import { isStatus } from "../_lib/status";
import { localDateTime } from "../_lib/time";
import { StatusPill } from "./StatusPill";

export interface EventFilters {
  service?: string;
  type?: string;
  from?: string;
  to?: string;
}

const TYPE_TONE: Record<EventView["type"], string> = {
  status: "text-muted",
  action: "text-st-starting",
  restart: "text-st-degraded",
};

/** State transitions and actions, newest first; each links to its service at that moment. */
export function EventList({ filters, compact = false }: { filters: EventFilters; compact?: boolean }) {
  const hydrated = useHydrated();
  const q = useQuery({
    queryKey: keys.events({ ...filters }),
    queryFn: ({ signal }) => api.events({ ...filters, limit: compact ? "50" : "300" }, signal),
    staleTime: 10_000,
  });
  if (q.error) return <p className="text-sm text-st-unhealthy">Cannot load events: {q.error.message}</p>;
  if (!q.data) return <p className="text-sm text-muted">Loading events…</p>;
  if (q.data.events.length === 0) return <p className="text-sm text-muted">No events.</p>;
  return (
    <ol className={`divide-y divide-line ${compact ? "max-h-96 overflow-y-auto" : ""}`} data-testid="events">
      {q.data.events.map((e) => (
        <li
          key={e.id}
          className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 py-2 text-sm sm:grid-cols-[11rem_auto_1fr]"
          data-testid="event"
          data-type={e.type}
        >
          <time dateTime={e.at} className="text-xs text-muted tabular-nums sm:text-sm">
            {hydrated ? localDateTime(e.at) : e.at}
          </time>
          <span className={`text-xs font-semibold uppercase ${TYPE_TONE[e.type]}`}>{e.type}</span>
          <span className="col-span-2 flex min-w-0 flex-wrap items-center gap-2 sm:col-span-1">
            {e.service && !compact ? (
              <Link
                href={serviceHref(e.service, windowAround(e.at))}
                className="font-semibold underline-offset-2 hover:underline"
                title="Open the service around this moment"
              >
                {e.service}
              </Link>
            ) : null}
            {e.type === "status" && isStatus(e.from) && isStatus(e.to) ? (
              <span className="inline-flex items-center gap-1">
                <StatusPill status={e.from} size="sm" />
                <span aria-hidden="true">→</span>
                <span className="sr-only">to</span>
                <StatusPill status={e.to} size="sm" />
              </span>
            ) : null}
            <span className="min-w-0 truncate text-muted" title={e.message}>
              {e.message}
            </span>
            {e.service && compact ? (
              <Link
                href={serviceHref(e.service, windowAround(e.at))}
                className="ml-auto text-xs text-accent underline"
              >
                at this moment
              </Link>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
