"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api, keys } from "../_lib/api";
import { useHydrated, useNow } from "../_lib/hooks";
import { serviceHref, windowAround } from "../_lib/range";
import { isoWithOffset, localDateTime, shortDuration } from "../_lib/time";
import { StatusPill } from "./StatusPill";

/** Down periods (last 7 days), each with a share link to the service page around it. */
export function IncidentList({
  service,
  window: w,
}: {
  service?: string;
  window?: { from: string; to: string };
}) {
  const hydrated = useHydrated();
  const now = useNow(30_000);
  const q = useQuery({
    queryKey: [...keys.incidents(service), w?.from ?? "", w?.to ?? ""],
    queryFn: ({ signal }) => api.incidents({ ...(service ? { service } : {}), ...(w ?? {}) }, signal),
    staleTime: 15_000,
  });
  const list = q.data?.incidents ?? [];
  return (
    <section aria-labelledby="incidents-title" className="rounded-lg border border-line bg-surface p-4">
      <h2 id="incidents-title" className="mb-2 font-semibold">
        Incidents{" "}
        <span className="text-xs font-normal text-muted">{w ? "(in this window)" : "(last 7 days)"}</span>
      </h2>
      {q.error ? <p className="text-sm text-st-unhealthy">Cannot load incidents: {q.error.message}</p> : null}
      {q.data && list.length === 0 ? <p className="text-sm text-muted">No incidents.</p> : null}
      {!q.data && !q.error ? <p className="text-sm text-muted">Loading incidents…</p> : null}
      <ul className="max-h-96 divide-y divide-line overflow-y-auto">
        {list.map((inc) => {
          const end = inc.to ?? isoWithOffset(now);
          const href = serviceHref(inc.service, windowAround(inc.from, end));
          return (
            <li
              key={`${inc.service}@${inc.from}`}
              className="flex flex-wrap items-center gap-2 py-2 text-sm"
              data-testid="incident"
            >
              <StatusPill status={inc.status} size="sm" />
              {service ? null : <strong>{inc.service}</strong>}
              <span>
                {hydrated ? localDateTime(inc.from) : inc.from}
                {inc.to ? ` · ${shortDuration(Date.parse(inc.to) - Date.parse(inc.from))}` : " · ongoing"}
              </span>
              <span className="min-w-0 flex-1 truncate text-muted" title={inc.reason}>
                {inc.reason}
              </span>
              <Link
                href={href}
                className="text-xs font-medium text-accent underline"
                data-testid="incident-link"
              >
                view window
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
