import {
  EventsQuery,
  EventsResponse,
  HistoryQuery,
  HistoryResponse,
  IncidentsQuery,
  IncidentsResponse,
  type Resolution,
} from "../../lib/contract.ts";
import { withTimeout } from "../live/state.ts";
import type { RestDeps } from "./deps.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS, instant } from "./shared.ts";

const HOUR = 3_600_000;
const DB_TIMEOUT_MS = 10_000;

/**
 * Raw points up to 2 h (≈ 720 points per check at a 10 s interval), minute rollups up to 2 days
 * (≤ 2,880 points), hour rollups beyond, so a 30-day chart reads ≈ 720 rows and never scans raw.
 */
export function pickResolution(from: Date, to: Date): Resolution {
  const span = to.getTime() - from.getTime();
  if (span <= 2 * HOUR) return "raw";
  if (span <= 48 * HOUR) return "minute";
  return "hour";
}

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
        const resolution = q.resolution === "auto" ? pickResolution(from, to) : q.resolution;
        const check = q.check ?? null;
        const [points, uptime] = await withTimeout(
          Promise.all([
            store.history({ service: q.service, check, from, to, resolution }),
            store.uptime({ service: q.service, check, from, to }),
          ]),
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
