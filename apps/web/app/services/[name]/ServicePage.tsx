"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ServiceDetail } from "../../../lib/contract";
import { LiveArea, StaleNotice } from "../../_components/ConnectionBadge";
import { EventList } from "../../_components/EventList";
import { IncidentList } from "../../_components/IncidentList";
import { api, keys } from "../../_lib/api";
import { useServices, useUrlState } from "../../_lib/hooks";
import { parseRange, type RangeSpec, resolveRange } from "../../_lib/range";
import { useCanAct, useSession } from "../../_lib/session";
import { AlertIncidents } from "./AlertIncidents";
import { Checks } from "./Checks";
import { HistoryPanel } from "./HistoryPanel";
import { JobPanel } from "./job/JobPanel";
import { LogsTail } from "./LogsTail";
import { PushUrls } from "./PushUrls";
import { RecentActions } from "./RecentActions";
import { Resources } from "./Resources";
import { ServiceHeader } from "./ServiceHeader";
import { SharedHeader } from "./SharedHeader";

export function ServicePage({ name, initial }: { name: string; initial: ServiceDetail | null }) {
  const detail = useQuery({
    queryKey: keys.service(name),
    queryFn: ({ signal }) => api.service(name, signal),
    initialData: initial ?? undefined,
    staleTime: 30_000,
  });
  const services = useServices();
  const [sp] = useUrlState();
  // The live view (socket-fed) wins over the detail fetched at load.
  const live = services.data?.services.find((s) => s.name === name) ?? detail.data?.service;
  const rangeParam = sp.get("range") ?? undefined;
  const fromParam = sp.get("from") ?? undefined;
  const toParam = sp.get("to") ?? undefined;
  // One object per URL, not per render: the history panel (and its charts) are memoised on it, so
  // a live result for this service does not redraw recharts, which froze the page under load.
  const range = useMemo(
    () => parseRange({ range: rangeParam, from: fromParam, to: toParam }),
    [rangeParam, fromParam, toParam],
  );
  const check = sp.get("check") ?? undefined;
  // A share-link visitor may read this service in its window only: no actions list, no logs.
  const shared = useSession().data?.kind === "share";
  const { canAct } = useCanAct();

  if (!live) {
    if (detail.error)
      return (
        <p role="alert">
          Cannot load {name}: {detail.error.message}
        </p>
      );
    return <p className="text-muted">Loading {name}…</p>;
  }
  return (
    <div className="space-y-5">
      <StaleNotice />
      {shared ? (
        // The server sends a share link name and kind only (no live state): show just that.
        <SharedHeader service={live} />
      ) : (
        <LiveArea>
          <ServiceHeader service={live} allDependents={detail.data?.allDependents ?? []} />
        </LiveArea>
      )}
      {live.kind === "job" && !shared ? <JobPanel name={name} canAct={canAct} /> : null}
      <HistoryPanel service={name} range={range} check={check} />
      <div className="grid gap-5 lg:grid-cols-2">
        {shared ? null : <Checks service={live} selected={check} />}
        <IncidentList service={name} {...(shared ? { window: windowOf(range) } : {})} />
      </div>
      {canAct && !shared && live.checks.some((c) => c.kind === "push") ? <PushUrls service={name} /> : null}
      <div className="grid gap-5 lg:grid-cols-2">
        <section aria-labelledby="events-title" className="rounded-lg border border-line bg-surface p-4">
          <h2 id="events-title" className="mb-2 font-semibold">
            Events
          </h2>
          <EventList filters={shared ? { service: name, ...windowOf(range) } : { service: name }} compact />
        </section>
        {shared ? null : <RecentActions service={name} />}
      </div>
      {shared ? null : <AlertIncidents service={name} />}
      {shared ? null : (
        <div className="grid gap-5 lg:grid-cols-[2fr_1fr]">
          <LogsTail service={live} />
          <Resources service={name} />
        </div>
      )}
    </div>
  );
}

/** The absolute window of a range (share links always carry absolute from/to). */
function windowOf(range: RangeSpec): { from: string; to: string } {
  const { from, to } = resolveRange(range, Date.now());
  return { from, to };
}
