"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { ServiceStatus, ServicesResponse } from "../../lib/contract";
import { BulkActions } from "../_components/actions/BulkActions";
import { LiveArea, StaleNotice } from "../_components/ConnectionBadge";
import { GridIcon, RowsIcon, SearchIcon } from "../_components/icons";
import { useServices, useUrlState } from "../_lib/hooks";
import { countStatuses } from "../_lib/status";
import { groupServices, matches, readFilters } from "./derive";
import { RootCauses } from "./RootCauses";
import { ServiceTile } from "./ServiceTile";
import { StatusAnnouncer } from "./StatusAnnouncer";
import { StatusCounts } from "./StatusCounts";
import { StoreBanner } from "./StoreBanner";

export function Board({ initial }: { initial: ServicesResponse | null }) {
  const { data, error, isPending } = useServices(initial);
  const [sp, setUrl] = useUrlState();
  const filters = readFilters(sp);
  const dense = sp.get("dense") === "1";
  const search = useRef<HTMLInputElement>(null);
  // The field owns its text while typing; the URL follows (its updates arrive a render later).
  const [q, setQ] = useState(filters.q);
  const urlQ = filters.q;
  useEffect(() => {
    if (document.activeElement !== search.current) setQ(urlQ);
  }, [urlQ]);

  useEffect(() => {
    if (sp.get("focus") === "search") {
      search.current?.focus();
      setUrl({ focus: null });
    }
  }, [sp, setUrl]);

  const all = data?.services ?? [];
  // One derivation feeds both the header counts and the tiles, so they always agree.
  const counts = useMemo(() => countStatuses(all), [all]);
  const shown = all.filter((s) => matches(s, { ...filters, q }));
  const groups = groupServices(all, shown);

  const toggle = (s: ServiceStatus) => {
    const next = filters.statuses.includes(s)
      ? filters.statuses.filter((x) => x !== s)
      : [...filters.statuses, s];
    setUrl({ status: next.join(",") || null });
  };

  return (
    <div>
      <h1 className="sr-only">Service board{data ? ` for ${data.project}` : ""}</h1>
      <StaleNotice />
      {data ? <StoreBanner store={data.store} /> : null}
      <RootCauses services={all} />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <StatusCounts counts={counts} selected={filters.statuses} onToggle={toggle} />
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <label className="relative flex items-center">
            <span className="sr-only">Search services</span>
            <SearchIcon className="pointer-events-none absolute left-2 text-muted" size={14} />
            <input
              ref={search}
              data-search
              type="search"
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                setUrl({ q: e.target.value || null });
              }}
              onKeyDown={(e) => {
                if (e.key === "Escape") {
                  setQ("");
                  setUrl({ q: null });
                  e.currentTarget.blur();
                }
              }}
              placeholder="Search  ( / )"
              className="w-48 rounded-md border border-line bg-surface py-1.5 pr-2 pl-7 text-sm placeholder:text-muted sm:w-60"
            />
          </label>
          <button
            type="button"
            onClick={() => setUrl({ dense: dense ? null : "1" })}
            aria-pressed={dense}
            data-testid="dense-toggle"
            className="inline-flex items-center gap-1.5 rounded-md border border-line bg-surface px-2.5 py-1.5 text-sm hover:bg-surface-2"
          >
            {dense ? <GridIcon size={14} /> : <RowsIcon size={14} />}
            {dense ? "Detailed" : "Compact"}
          </button>
          {data ? <BulkActions services={all} all={all} /> : null}
        </div>
      </div>
      {error && !data ? (
        <p role="alert" className="rounded-md bg-st-unhealthy-bg p-3 text-st-unhealthy">
          Cannot load services: {error.message}
        </p>
      ) : null}
      {isPending && !data ? <p className="text-muted">Loading services…</p> : null}
      {data && shown.length !== all.length ? (
        <p className="mb-2 text-sm text-muted">
          Showing {shown.length} of {all.length} services.{" "}
          <button
            type="button"
            className="underline"
            onClick={() => {
              setQ("");
              setUrl({ status: null, q: null });
            }}
          >
            Clear filters
          </button>
        </p>
      ) : null}
      {data && all.length === 0 ? <p className="text-muted">No services configured.</p> : null}
      <LiveArea>
        <div className={dense ? "grid gap-x-6 gap-y-4 lg:grid-cols-2 2xl:grid-cols-3" : "space-y-5"}>
          {groups.map((g) =>
            g.services.length === 0 ? null : (
              <section
                key={g.name}
                aria-labelledby={`group-${g.name}`}
                data-testid="group"
                data-group={g.name}
              >
                <div className="mb-2 flex flex-wrap items-center gap-2">
                  <h2 id={`group-${g.name}`} className="text-sm font-bold uppercase tracking-wide text-muted">
                    {g.name}
                  </h2>
                  <span className="text-xs text-muted">{g.all.length} services</span>
                  <span className="ml-auto">
                    <BulkActions services={g.all} group={g.name} all={all} />
                  </span>
                </div>
                <ul
                  className={
                    dense
                      ? "grid grid-cols-[repeat(auto-fill,minmax(10.5rem,1fr))] gap-1.5"
                      : "grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4"
                  }
                >
                  {g.services.map((s) => (
                    <ServiceTile key={s.name} service={s} dense={dense} />
                  ))}
                </ul>
              </section>
            ),
          )}
        </div>
      </LiveArea>
      <StatusAnnouncer services={all} />
    </div>
  );
}
