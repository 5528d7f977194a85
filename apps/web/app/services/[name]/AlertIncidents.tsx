"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { alertKeys, alertsApi } from "../../_lib/alerts-api";

/** Alert incidents this service caused or was affected by (latest five), linking to the Alerts page. */
export function AlertIncidents({ service }: { service: string }) {
  const filters = { state: "all", service };
  const incidents = useQuery({
    queryKey: alertKeys.incidents(filters),
    queryFn: ({ signal }) => alertsApi.incidents(filters, signal),
    refetchInterval: 15_000,
  });
  const list = (incidents.data?.incidents ?? []).slice(0, 5);
  return (
    <section aria-labelledby="alert-incidents-title" className="rounded-lg border border-line bg-surface p-4">
      <h2 id="alert-incidents-title" className="mb-2 font-semibold">
        Alerts
      </h2>
      {list.length === 0 ? <p className="text-sm text-muted">No alert incidents.</p> : null}
      <ul className="space-y-1 text-sm" data-testid="service-alert-incidents">
        {list.map((i) => (
          <li key={i.key}>
            <span className={i.resolvedAt ? "text-muted" : "font-semibold text-st-unhealthy"}>
              {i.resolvedAt ? "resolved" : "open"}
            </span>{" "}
            {i.title} · {new Date(i.openedAt).toLocaleString()}
            {i.acknowledgedBy ? ` · acknowledged by ${i.acknowledgedBy}` : ""}
          </li>
        ))}
      </ul>
      <Link href={`/alerts?state=all&service=${encodeURIComponent(service)}`} className="text-sm underline">
        All alerts for {service}
      </Link>
    </section>
  );
}
