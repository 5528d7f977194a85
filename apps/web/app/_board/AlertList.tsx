"use client";

import Link from "next/link";
import type { IncidentView } from "../../lib/alerts-contract";
import { WrenchIcon } from "../_components/icons";

/** The banner's lines: each open incident, then the services in maintenance (see AlertBanner). */
export function AlertList({
  incidents,
  inMaintenance,
}: {
  incidents: IncidentView[];
  inMaintenance: string[];
}) {
  return (
    <section aria-label="Alerts" data-testid="alert-banner" className="mb-4 space-y-1.5">
      {incidents.map((i) => (
        <p
          key={i.key}
          className="flex flex-wrap items-center gap-x-2 rounded-md bg-st-unhealthy-bg px-3 py-2 text-sm"
        >
          <span className="font-bold text-st-unhealthy">Incident</span>
          <Link
            href={`/alerts?service=${encodeURIComponent(i.rootService)}`}
            className="font-semibold underline"
          >
            {i.title}
          </Link>
          <span className="text-muted">
            {i.acknowledgedBy ? `acknowledged by ${i.acknowledgedBy}` : "not acknowledged"}
          </span>
        </p>
      ))}
      {inMaintenance.length > 0 ? (
        <p
          data-testid="maintenance-banner"
          className="flex flex-wrap items-center gap-x-2 rounded-md bg-st-maintenance-bg px-3 py-2 text-sm"
        >
          <WrenchIcon className="text-st-maintenance" />
          <span className="font-bold text-st-maintenance">maintenance</span>
          <span>{inMaintenance.join(", ")} — alerts suppressed</span>
        </p>
      ) : null}
    </section>
  );
}
