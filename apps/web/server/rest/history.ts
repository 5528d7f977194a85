import {
  EventsQuery,
  EventsResponse,
  HistoryQuery,
  HistoryResponse,
  IncidentsQuery,
  IncidentsResponse,
} from "../../lib/contract.ts";
import { withTimeout } from "../async.ts";
import { withUnits } from "../live/check-values.ts";
import type { RestDeps } from "./deps.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS, instant } from "./shared.ts";

const HOUR = 3_600_000;
/** Same bound as @vigil/db's RAW_MAX_SPAN_MS; checked here too so the answer names the field. */
const RAW_MAX_SPAN_MS = 24 * HOUR;
const DB_TIMEOUT_MS = 10_000;

/** Where a service was in maintenance within a range (alerting's windows and silences). */
export type MaintenanceRanges = (
  service: string,
  from: Date,
  to: Date,
  signal: AbortSignal,
) => Promise<{ from: Date; to: Date }[]>;

export function historyRoutes(deps: RestDeps & { maintenance?: MaintenanceRanges | undefined }): Route[] {
  const { store } = deps.live;
  return [
    {
      method: "GET",
      path: "/api/history",
      permission: "read",
      doc: {
        summary: "Latency and failures of a service (or one check) over a range; resolution auto-picked",
        tag: "history",
        query: HistoryQuery,
        responses: { 200: HistoryResponse, ...ERRORS },
      },
      handle: async ({ query }) => {
        const q = parseInput(HistoryQuery, query);
        const from = new Date(q.from);
        const to = new Date(q.to);
        if (to.getTime() <= from.getTime())
          throw new HttpError("bad_request", "to: must be after from", "to");
        // The store picks raw/minute/hour for "auto" from the span (raw ≤ 2 h, minute ≤ 3 days,
        // hour beyond), so a 30-day chart reads hour rollups and never scans raw rows.
        const check = q.check ?? null;
        // Raw is one row per result: bounded in span here (and in the store), in rows per page
        // there, and Postgres cancels a read past its statement timeout (issue 19, finding 9).
        if (q.resolution === "raw" && to.getTime() - from.getTime() > RAW_MAX_SPAN_MS)
          throw new HttpError(
            "bad_request",
            "resolution: raw covers at most 24 h per request; choose minute or hour, or a shorter window",
            "resolution",
          );
        // Uptime leaves maintenance out (alerting on); the points still cover the whole range.
        const exclude = deps.maintenance
          ? await deps.maintenance(q.service, from, to, AbortSignal.timeout(DB_TIMEOUT_MS))
          : [];
        const { resolution, points, uptime, next } = await withTimeout(
          store.history({
            exclude,
            service: q.service,
            check,
            from,
            to,
            resolution: q.resolution,
            cursor: q.cursor,
            limit: q.limit,
          }),
          DB_TIMEOUT_MS,
          "history query",
        );
        // Same range and resolution as the latency points, so the value charts line up with them.
        const series = await withTimeout(
          store.values({ service: q.service, check, from, to, resolution }),
          DB_TIMEOUT_MS,
          "values query",
        );
        const body: HistoryResponse = {
          service: q.service,
          check,
          from: from.toISOString(),
          to: to.toISOString(),
          resolution,
          points,
          uptime,
          values: withUnits(deps.live.config, q.service, series),
          next,
        };
        return { body };
      },
    },
    {
      method: "GET",
      path: "/api/events",
      permission: "read",
      doc: {
        summary: "State transitions, actions and restarts, newest first",
        tag: "history",
        query: EventsQuery,
        responses: { 200: EventsResponse, ...ERRORS },
      },
      handle: async ({ query }) => {
        const q = parseInput(EventsQuery, query);
        const events = await withTimeout(
          store.events({
            limit: q.limit,
            ...(q.service === undefined ? {} : { service: q.service }),
            ...(q.type === undefined ? {} : { type: q.type }),
            ...(q.from === undefined ? {} : { from: new Date(q.from) }),
            ...(q.to === undefined ? {} : { to: new Date(q.to) }),
          }),
          DB_TIMEOUT_MS,
          "events query",
        );
        const body: EventsResponse = { events };
        return { body };
      },
    },
    {
      method: "GET",
      path: "/api/incidents",
      permission: "read",
      doc: {
        summary: "Periods a service was not healthy (default: last 7 days)",
        tag: "history",
        query: IncidentsQuery,
        responses: { 200: IncidentsResponse, ...ERRORS },
      },
      handle: async ({ query }) => {
        const q = parseInput(IncidentsQuery, query);
        const to = instant(q.to, new Date());
        const from = instant(q.from, new Date(to.getTime() - 7 * 24 * HOUR));
        if (to.getTime() <= from.getTime())
          throw new HttpError("bad_request", "to: must be after from", "to");
        const incidents = await withTimeout(
          store.incidents({ from, to, ...(q.service === undefined ? {} : { service: q.service }) }),
          DB_TIMEOUT_MS,
          "incidents query",
        );
        const body: IncidentsResponse = { incidents };
        return { body };
      },
    },
  ];
}
