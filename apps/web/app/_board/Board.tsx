"use client";

import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import type { ServiceStatus, ServicesResponse, ServiceView } from "../../lib/contract";
import { BulkActions } from "../_components/actions/BulkActions";
import { LiveArea, StaleNotice } from "../_components/ConnectionBadge";
import { GridIcon, RowsIcon, SearchIcon } from "../_components/icons";
import { useUrlState } from "../_lib/hooks";
import { countStatuses } from "../_lib/status";
import { AlertBanner } from "./AlertBanner";
import { type BoardOrder, boardOrder, filterGroups, groupServices, readFilters, SMALL_BOARD } from "./derive";
import { PlainGroups } from "./PlainGroups";
import { RootCauses } from "./RootCauses";
import { StatusAnnouncer } from "./StatusAnnouncer";
import { StatusCounts } from "./StatusCounts";
import { StoreBanner } from "./StoreBanner";
import { useBoardServices } from "./useBoardServices";

const NO_SERVICES: ServiceView[] = [];

// Only boards of more than SMALL_BOARD services virtualise: the others never download it.
const loadVirtualGroups = () => import("./VirtualGroups");
const VirtualGroups = lazy(() => loadVirtualGroups().then((m) => ({ default: m.VirtualGroups })));

/** How long the search field waits after a keystroke before the URL follows it. */
const URL_FOLLOWS_MS = 300;

export function Board({
  initial,
  large = false,
}: {
  initial: ServicesResponse | null;
  /** The server knows the board is large: its layout loads alongside the socket's snapshot, not after. */
  large?: boolean;
}) {
  const { data, error, isPending } = useBoardServices(initial);
  useEffect(() => {
    if (large) loadVirtualGroups().catch(() => undefined); // a failure shows again when the board renders it
  }, [large]);
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

  // The URL follows the field once typing pauses: each history write re-renders everything that
  // reads the URL and cost ~8 ms of the browser's own time per keystroke at 10,000 services.
  const queryTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const writeQuery = (value: string, now = false) => {
    clearTimeout(queryTimer.current);
    if (now) setUrl({ q: value || null });
    else queryTimer.current = setTimeout(() => setUrl({ q: value || null }), URL_FOLLOWS_MS);
  };
  // Leaving the board drops a pending write: it must not land on the next page's URL.
  useEffect(() => () => clearTimeout(queryTimer.current), []);

  useEffect(() => {
    if (sp.get("focus") === "search") {
      search.current?.focus();
      setUrl({ focus: null });
    }
  }, [sp, setUrl]);

  const all = data?.services ?? NO_SERVICES;
  // One derivation feeds both the header counts and the tiles, so they always agree.
  const counts = useMemo(() => countStatuses(all), [all]);
  // The order and search text outlive status updates: a delta re-sorts nothing (derive.ts).
  const previousOrder = useRef<BoardOrder>(undefined);
  const order = useMemo(() => {
    const next = boardOrder(all, previousOrder.current);
    previousOrder.current = next;
    return next;
  }, [all]);
  const sorted = useMemo(() => groupServices(all, order), [all, order]);
  const statusKey = filters.statuses.join(",");
  const groups = useMemo(() => {
    const f = { statuses: statusKey ? (statusKey.split(",") as ServiceStatus[]) : [], q };
    return f.q || f.statuses.length > 0 ? filterGroups(all, order, sorted, f) : sorted;
  }, [all, order, sorted, statusKey, q]);
  const shownCount = useMemo(() => groups.reduce((n, g) => n + g.services.length, 0), [groups]);

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
      <AlertBanner />
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
                writeQuery(e.target.value);
              }}
              onKeyDown={(e) => {
                if (e.key === "Escape") {
                  setQ("");
                  writeQuery("", true);
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
      {data && shownCount !== all.length ? (
        <p className="mb-2 text-sm text-muted">
          Showing {shownCount} of {all.length} services.{" "}
          <button
            type="button"
            className="underline"
            onClick={() => {
              setQ("");
              clearTimeout(queryTimer.current);
              setUrl({ status: null, q: null });
            }}
          >
            Clear filters
          </button>
        </p>
      ) : null}
      {data && all.length === 0 ? <p className="text-muted">No services configured.</p> : null}
      <LiveArea>
        <div data-testid="board" data-shown={shownCount} data-query={q}>
          {/* By the board's size, not the filtered count: narrowing 1,000 tiles to 150 with a search
              must not mount all 150 at once (measured: a 0.5 s keystroke under load). */}
          {all.length > SMALL_BOARD ? (
            <Suspense fallback={null}>
              <VirtualGroups groups={groups} all={all} dense={dense} />
            </Suspense>
          ) : (
            <PlainGroups groups={groups} all={all} dense={dense} />
          )}
        </div>
      </LiveArea>
      <StatusAnnouncer services={all} />
    </div>
  );
}
