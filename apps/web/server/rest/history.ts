import {
  EventsQuery,
  EventsResponse,
  HistoryQuery,
  HistoryResponse,
  IncidentsQuery,
  IncidentsResponse,
} from "../../lib/contract.ts";
import { withTimeout } from "../async.ts";
import type { RestDeps } from "./deps.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS, instant } from "./shared.ts";

const HOUR = 3_600_000;
const DB_TIMEOUT_MS = 10_000;

export function historyRoutes(deps: RestDeps): Route[] {
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
        const { resolution, points, uptime } = await withTimeout(
          store.history({ service: q.service, check, from, to, resolution: q.resolution }),
          DB_TIMEOUT_MS,
          "history query",
        );
        const body: HistoryResponse = {
          service: q.service,
          check,
          from: from.toISOString(),
          to: to.toISOString(),
          resolution,
          points,
          uptime,
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
