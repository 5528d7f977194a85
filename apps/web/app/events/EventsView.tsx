"use client";

import { EventList } from "../_components/EventList";
import { IncidentList } from "../_components/IncidentList";
import { ZoneNote } from "../_components/ZoneNote";
import { useServices, useUrlState } from "../_lib/hooks";
import { AuditList } from "./AuditList";

const TYPES = ["status", "action", "restart"] as const;

/** Events filterable by service and type; filters live in the URL. */
export function EventsView() {
  const [sp, setUrl] = useUrlState();
  const services = useServices().data?.services ?? [];
  const service = sp.get("service") ?? "";
  const type = sp.get("type") ?? "";
  const select = "rounded-md border border-line bg-surface px-2 py-1.5 text-sm";
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <div className="mr-auto">
          <h1 className="text-xl font-bold">Events and incidents</h1>
          <ZoneNote />
        </div>
        <label className="flex flex-col text-xs text-muted">
          Service
          <select
            value={service}
            onChange={(e) => setUrl({ service: e.target.value || null })}
            className={select}
            data-testid="filter-service"
          >
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs text-muted">
          Type
          <select
            value={type}
            onChange={(e) => setUrl({ type: e.target.value || null })}
            className={select}
            data-testid="filter-type"
          >
            <option value="">All types</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid gap-5 xl:grid-cols-[3fr_2fr]">
        <section aria-label="Events" className="rounded-lg border border-line bg-surface px-4 py-2">
          <EventList filters={{ ...(service ? { service } : {}), ...(type ? { type } : {}) }} />
        </section>
        <IncidentList {...(service ? { service } : {})} />
      </div>
      <section className="rounded-lg border border-line bg-surface px-4 py-2">
        <AuditList />
      </section>
    </div>
  );
}
