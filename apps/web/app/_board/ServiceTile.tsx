"use client";

import Link from "next/link";
import { memo } from "react";
import type { ServiceView } from "../../lib/contract";
import { ServiceActions } from "../_components/actions/ServiceActions";
import { DockerHealthBadge, dockerHealthOf } from "../_components/DockerHealthBadge";
import { StatusIcon } from "../_components/icons";
import { MaintenanceBadge } from "../_components/MaintenanceBadge";
import { Since } from "../_components/Since";
import { Sparkline } from "../_components/Sparkline";
import { StatusPill } from "../_components/StatusPill";
import { useInMaintenance } from "../_lib/maintenance";
import { currentLatency, placement, STATUS_META, statusDetail } from "../_lib/status";
import { formatMs, formatPercent } from "../_lib/time";
import { TileJob } from "./TileJob";
import { TileResources } from "./TileResources";
import { TileValues } from "./TileValues";

/** One service on the board. Memoised: a delta for another service does not re-render it. */
export const ServiceTile = memo(function ServiceTile({
  service: s,
  dense,
}: {
  service: ServiceView;
  dense: boolean;
}) {
  const m = STATUS_META[s.status];
  const detail = statusDetail(s);
  const href = `/services/${encodeURIComponent(s.name)}`;
  // In maintenance the tile's edge takes maintenance's colour; the status pill still tells the truth.
  const maintenance = useInMaintenance(s.name);
  const border = maintenance ? "border-l-st-maintenance" : m.border;
  if (dense) {
    // Wall-screen tile: the name in full, then colour + icon + word (+ the cause) and the age.
    const word =
      s.status === "blocked" && s.blockedBy.length > 0 ? `blocked · ${s.blockedBy.join(", ")}` : m.word;
    return (
      <li
        data-testid="tile"
        data-service={s.name}
        data-status={s.status}
        data-maintenance={maintenance || undefined}
        title={detail || undefined}
        className={`min-w-0 rounded-md border-l-4 px-2 py-1.5 ring-1 ring-line ${m.bg} ${border}`}
      >
        <Link href={href} className="block truncate text-sm font-semibold hover:underline">
          {s.name}
        </Link>
        <div className={`flex items-center justify-between gap-2 text-xs font-semibold ${m.text}`}>
          <span className="inline-flex min-w-0 items-center gap-1">
            <StatusIcon status={s.status} size={12} className="shrink-0" />
            <span className="truncate">{word}</span>
            {maintenance ? <MaintenanceBadge size="sm" /> : null}
          </span>
          <span className="shrink-0 font-normal text-muted">
            <Since iso={s.since} status={s.status} short />
          </span>
        </div>
      </li>
    );
  }
  const external = s.kind === "external";
  const where = placement(s);
  const { latency, noReading } = currentLatency(s);
  const dockerHealth = dockerHealthOf(s);
  return (
    <li
      data-testid="tile"
      data-service={s.name}
      data-status={s.status}
      data-maintenance={maintenance || undefined}
      className={`flex min-w-0 flex-col gap-2 rounded-lg border-l-[6px] bg-surface p-3 shadow-sm ring-1 ring-line ${border}`}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Link href={href} className="block truncate text-base font-semibold hover:underline" title={s.name}>
            {s.name}
          </Link>
          <p className="text-xs text-muted">
            {s.kind}
            {external ? " · observed" : ""}
            {where ? <span data-testid="placement"> · {where}</span> : null} · wave {s.wave + 1}
          </p>
        </div>
        <span className="flex flex-col items-end gap-1">
          <StatusPill status={s.status} />
          {maintenance ? <MaintenanceBadge size="sm" /> : null}
          {dockerHealth ? <DockerHealthBadge health={dockerHealth} size="sm" /> : null}
        </span>
      </div>
      <p
        className={`min-h-[1.25rem] truncate text-sm ${s.status === "healthy" ? "text-muted" : `font-medium ${m.text}`}`}
        title={detail}
      >
        {detail || "\u00a0"}
      </p>
      {s.job ? (
        <TileJob job={s.job} />
      ) : (
        <div className="flex items-end justify-between gap-2">
          <div>
            <p className="text-lg font-semibold leading-none" data-testid="latency">
              {latency === null ? (
                <span className="text-sm font-normal text-muted">{noReading}</span>
              ) : (
                formatMs(latency)
              )}
            </p>
            <p className="mt-0.5 text-[11px] text-muted">latency now</p>
          </div>
          <Sparkline points={s.sparkline} label={`Recent latency of ${s.name}`} />
        </div>
      )}
      <TileValues service={s} />
      <TileResources service={s.name} limits={s.limits} />
      <dl className="grid grid-cols-3 gap-1 border-t border-line pt-2 text-xs">
        <div>
          <dt className="text-muted">uptime 24 h</dt>
          <dd className="font-semibold">{formatPercent(s.uptime24h)}</dd>
        </div>
        <div>
          <dt className="text-muted">since</dt>
          <dd className="font-semibold" data-testid="since">
            <Since iso={s.since} status={s.status} />
          </dd>
        </div>
        <div>
          <dt className="text-muted">restarts</dt>
          <dd className={`font-semibold ${s.restarts > 0 ? "text-st-degraded" : ""}`}>{s.restarts}</dd>
        </div>
      </dl>
      {external ? null : <ServiceActions service={s} compact />}
    </li>
  );
});
