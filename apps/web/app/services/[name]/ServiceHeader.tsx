"use client";

import Link from "next/link";
import type { ServiceView } from "../../../lib/contract";
import { ServiceActions } from "../../_components/actions/ServiceActions";
import { MaintenanceBadge } from "../../_components/MaintenanceBadge";
import { Since } from "../../_components/Since";
import { StatusPill } from "../../_components/StatusPill";
import { limitsText } from "../../_lib/limits";
import { useInMaintenance } from "../../_lib/maintenance";
import { currentLatency, placement, STATUS_META, statusDetail } from "../../_lib/status";
import { formatMs, formatPercent } from "../../_lib/time";
import { SilenceButton } from "./SilenceButton";

function Names({ label, names }: { label: string; names: string[] }) {
  return (
    <p className="text-sm">
      <span className="text-muted">{label}: </span>
      {names.length === 0
        ? "none"
        : names.map((n, i) => (
            <span key={n}>
              {i > 0 ? ", " : ""}
              <Link
                href={`/services/${encodeURIComponent(n)}`}
                className="font-medium underline-offset-2 hover:underline"
              >
                {n}
              </Link>
            </span>
          ))}
    </p>
  );
}

export function ServiceHeader({
  service: s,
  allDependents,
}: {
  service: ServiceView;
  allDependents: string[];
}) {
  const m = STATUS_META[s.status];
  const detail = statusDetail(s);
  const now = currentLatency(s);
  const maintenance = useInMaintenance(s.name);
  const where = placement(s);
  return (
    <section
      aria-labelledby="service-title"
      className={`rounded-lg border-l-8 bg-surface p-4 shadow-sm ring-1 ring-line ${maintenance ? "border-l-st-maintenance" : m.border}`}
      data-testid="service-header"
      data-status={s.status}
      data-maintenance={maintenance || undefined}
    >
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="service-title" className="text-2xl font-bold">
          {s.name}
        </h1>
        <StatusPill status={s.status} size="lg" />
        {maintenance ? <MaintenanceBadge size="lg" /> : null}
        {where ? (
          <span className="text-sm font-medium" data-testid="placement">
            {where}
          </span>
        ) : null}
        <span className="text-sm text-muted">
          <Since iso={s.since} status={s.status} />
        </span>
        <span className="ml-auto">
          <ServiceActions service={s} />
          <SilenceButton service={s.name} />
        </span>
      </div>
      {detail ? (
        <p
          className={`mt-2 text-base ${s.status === "healthy" ? "text-muted" : `font-semibold ${m.text}`}`}
          data-testid="status-detail"
        >
          {s.status === "blocked" && s.blockedBy.length > 0 ? (
            <>
              blocked by{" "}
              {s.blockedBy.map((b, i) => (
                <span key={b}>
                  {i > 0 ? ", " : ""}
                  <Link href={`/services/${encodeURIComponent(b)}`} className="underline">
                    {b}
                  </Link>
                </span>
              ))}
            </>
          ) : (
            detail
          )}
        </p>
      ) : null}
      <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4 lg:grid-cols-6">
        <div>
          <dt className="text-muted">Latency now</dt>
          <dd className="font-semibold">{now.latency === null ? now.noReading : formatMs(now.latency)}</dd>
        </div>
        <div>
          <dt className="text-muted">Uptime 24 h</dt>
          <dd className="font-semibold">{formatPercent(s.uptime24h)}</dd>
        </div>
        <div>
          <dt className="text-muted">Restarts</dt>
          <dd className="font-semibold">{s.restarts}</dd>
        </div>
        {s.oomKills === undefined ? null : (
          <div>
            <dt className="text-muted">Out-of-memory ends</dt>
            <dd className="font-semibold" data-testid="oom-kills">
              {s.oomKills}
            </dd>
          </div>
        )}
        {s.limits ? (
          <div>
            <dt className="text-muted">Limits</dt>
            <dd className="font-semibold" data-testid="limits">
              {limitsText(s.limits)}
            </dd>
          </div>
        ) : null}
        <div>
          <dt className="text-muted">Runtime</dt>
          <dd className="font-semibold">{s.runtimeState}</dd>
        </div>
        <div>
          <dt className="text-muted">Kind · group</dt>
          <dd className="font-semibold">
            {s.kind} · {s.group}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Startup wave</dt>
          <dd className="font-semibold">{s.wave + 1}</dd>
        </div>
      </dl>
      <div className="mt-3 grid gap-1 sm:grid-cols-2">
        <Names label="Depends on" names={s.dependsOn} />
        <Names label="Needed by" names={allDependents.length ? allDependents : s.dependents} />
      </div>
    </section>
  );
}
