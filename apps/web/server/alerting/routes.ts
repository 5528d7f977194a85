import type { AlertQueries, IncidentStore, StoredIncident } from "@vigil/db";
import { parseDuration } from "@vigil/orchestrator";
import {
  Accepted,
  ChannelsResponse,
  DeliveriesQuery,
  DeliveriesResponse,
  IncidentDetail,
  IncidentsQuery,
  IncidentsResponse,
  type IncidentView,
  MaintenanceResponse,
  NoteRequest,
  RetryRequest,
  SilenceAccepted,
  SilenceRequest,
} from "../../lib/alerts-contract.ts";
import { withTimeout } from "../async.ts";
import { HttpError, parseInput } from "../rest/errors.ts";
import type { Route } from "../rest/router.ts";
import { ERRORS } from "../rest/shared.ts";
import type { AlertingRuntime } from "./runtime.ts";

const DB_TIMEOUT_MS = 10_000;
/** A silence longer than this is a maintenance window and belongs in vigil.yaml. */
const MAX_SILENCE_MS = 7 * 86_400_000;

export interface AlertRouteDeps {
  runtime: AlertingRuntime;
  incidents: Pick<IncidentStore, "list" | "get">;
  queries: AlertQueries;
  /** Configured channels, name → kind. */
  channels(): Record<string, string>;
  services(): string[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const view = (i: StoredIncident): IncidentView => ({
  ...i,
  openedAt: i.openedAt.toISOString(),
  acknowledgedAt: iso(i.acknowledgedAt),
  resolvedAt: iso(i.resolvedAt),
});
const db = <T>(what: string, fn: (signal: AbortSignal) => Promise<T>) =>
  withTimeout(fn(AbortSignal.timeout(DB_TIMEOUT_MS)), DB_TIMEOUT_MS, what);

/** Incidents, acknowledgement, channels, delivery log, retries, silences. */
export function alertRoutes(deps: AlertRouteDeps): Route[] {
  const { runtime } = deps;
  return [
    {
      method: "GET",
      path: "/api/alerts/incidents",
      permission: "read",
      doc: {
        summary: "Alert incidents, newest first",
        tag: "alerts",
        query: IncidentsQuery,
        responses: { 200: IncidentsResponse, ...ERRORS },
      },
      handle: async ({ query }) => {
        const q = parseInput(IncidentsQuery, query);
        const filter = {
          state: q.state,
          limit: q.limit,
          ...(q.service ? { service: q.service } : {}),
          ...(q.from ? { from: new Date(q.from) } : {}),
          ...(q.to ? { to: new Date(q.to) } : {}),
        };
        // Postgres down: the open incidents the running Vigil knows still answer.
        const stored = await db("incidents query", (signal) => deps.incidents.list(filter, signal)).catch(
          (error) => {
            if (q.state === "resolved") throw error;
            return runtime.openIncidents
              .filter((i) => !q.service || i.root === q.service || i.affected.includes(q.service))
              .map(
                (i): StoredIncident => ({
                  key: i.key,
                  rootService: i.root,
                  severity: "",
                  title: i.root,
                  affected: i.affected,
                  openedAt: new Date(i.since),
                  acknowledgedAt: i.acknowledged ? new Date(i.acknowledged.at) : null,
                  acknowledgedBy: i.acknowledged?.by ?? null,
                  resolvedAt: null,
                }),
              );
          },
        );
        return { body: { incidents: stored.map(view) } };
      },
    },
    {
      method: "GET",
      path: "/api/alerts/incidents/:key",
      permission: "read",
      doc: {
        summary: "One incident with its timeline",
        tag: "alerts",
        responses: { 200: IncidentDetail, ...ERRORS },
      },
      handle: async ({ params }) => {
        const key = params.key ?? "";
        const found = await db("incident query", (signal) => deps.incidents.get(key, signal));
        if (!found) throw new HttpError("not_found", `no incident "${key}"`, "key");
        const timeline = found.timeline.map((e) => ({ ...e, at: e.at.toISOString() }));
        return { body: { incident: view(found.incident), timeline } };
      },
    },
    {
      method: "POST",
      path: "/api/alerts/incidents/:key/ack",
      permission: "act",
      doc: {
        summary: "Acknowledge an open incident: stops reminders and escalation",
        tag: "alerts",
        responses: { 202: Accepted, 409: null, ...ERRORS },
      },
      handle: async ({ params, principal }) => {
        const key = params.key ?? "";
        const incident = runtime.openIncidents.find((i) => i.key === key);
        if (!incident) throw new HttpError("not_found", `no open incident "${key}"`, "key");
        if (incident.acknowledged) {
          throw new HttpError("conflict", `already acknowledged by ${incident.acknowledged.by}`);
        }
        runtime.acknowledge(key, principal?.name ?? "anonymous");
        return { status: 202, body: { ok: true, ids: [key] } };
      },
    },
    {
      method: "POST",
      path: "/api/alerts/incidents/:key/notes",
      permission: "act",
      doc: {
        summary: "Add a note to an incident's timeline",
        tag: "alerts",
        body: NoteRequest,
        responses: { 202: Accepted, ...ERRORS },
      },
      handle: async ({ params, body, principal }) => {
        const key = params.key ?? "";
        const { text } = parseInput(NoteRequest, body ?? {});
        const known =
          runtime.openIncidents.some((i) => i.key === key) ||
          (await db("incident query", (signal) => deps.incidents.get(key, signal))) !== undefined;
        if (!known) throw new HttpError("not_found", `no incident "${key}"`, "key");
        return {
          status: 202,
          body: { ok: true, ids: [runtime.note(key, principal?.name ?? "anonymous", text)] },
        };
      },
    },
    {
      method: "GET",
      path: "/api/alerts/channels",
      permission: "read",
      doc: {
        summary: "Configured channels with delivery counts and the last attempt",
        tag: "alerts",
        responses: { 200: ChannelsResponse, ...ERRORS },
      },
      handle: async () => {
        const summaries = await db("channels query", (signal) => deps.queries.channels(signal)).catch(
          () => [],
        );
        const depth = runtime.dispatcher.depth();
        const channels = Object.entries(deps.channels()).map(([name, kind]) => {
          const s = summaries.find((x) => x.channel === name);
          return {
            name,
            kind,
            sent: s?.sent ?? 0,
            failed: s?.failed ?? 0,
            pending: s?.pending ?? 0,
            queued: depth.get(name)?.queued ?? 0,
            lastAttemptAt: iso(s?.lastAttemptAt ?? null),
            lastOk: s?.lastOk ?? null,
            lastError: s?.lastError ?? null,
          };
        });
        return { body: { channels } };
      },
    },
    {
      method: "POST",
      path: "/api/alerts/channels/:name/test",
      permission: "act",
      doc: {
        summary: "Send a test notification through one channel",
        tag: "alerts",
        responses: { 202: Accepted, ...ERRORS },
      },
      handle: async ({ params, principal }) => {
        const name = params.name ?? "";
        if (!(name in deps.channels())) throw new HttpError("not_found", `no channel "${name}"`, "name");
        const entries = runtime.sendTest(name, principal?.name ?? "anonymous");
        return { status: 202, body: { ok: true, ids: entries.map((e) => e.id) } };
      },
    },
    {
      method: "GET",
      path: "/api/alerts/deliveries",
      permission: "read",
      doc: {
        summary: "Delivery log with the request as sent (secrets redacted)",
        tag: "alerts",
        query: DeliveriesQuery,
        responses: { 200: DeliveriesResponse, ...ERRORS },
      },
      handle: async ({ query }) => {
        const q = parseInput(DeliveriesQuery, query);
        const rows = await db("deliveries query", (signal) => deps.queries.deliveries(q, signal));
        return { body: { deliveries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) } };
      },
    },
    {
      method: "POST",
      path: "/api/alerts/deliveries/retry",
      permission: "act",
      doc: {
        summary: "Deliver a failed notification again",
        tag: "alerts",
        body: RetryRequest,
        responses: { 202: Accepted, ...ERRORS },
      },
      handle: async ({ body }) => {
        const { id } = parseInput(RetryRequest, body ?? {});
        const entry = await db("outbox query", (signal) => deps.queries.entry(id, signal));
        if (!entry) throw new HttpError("not_found", `no delivery "${id}"`, "id");
        if (entry.state === "sent") throw new HttpError("conflict", `"${id}" was already delivered`);
        runtime.retry(entry);
        return { status: 202, body: { ok: true, ids: [id] } };
      },
    },
    {
      method: "POST",
      path: "/api/alerts/silences",
      permission: "act",
      doc: {
        summary: "Silence one service's alerts for a while (shows as maintenance)",
        tag: "alerts",
        body: SilenceRequest,
        responses: { 202: SilenceAccepted, ...ERRORS },
      },
      handle: async ({ body, principal }) => {
        const req = parseInput(SilenceRequest, body ?? {});
        if (!deps.services().includes(req.service)) {
          throw new HttpError("bad_request", `service: unknown service "${req.service}"`, "service");
        }
        const ms = parseDuration(req.duration);
        if (ms === undefined || ms <= 0 || ms > MAX_SILENCE_MS) {
          throw new HttpError("bad_request", "duration: use e.g. 30m or 1h, at most 7d", "duration");
        }
        const { until } = runtime.silence(req.service, ms, principal?.name ?? "anonymous");
        return { status: 202, body: { service: req.service, until: until.toISOString() } };
      },
    },
    {
      method: "GET",
      path: "/api/alerts/maintenance",
      permission: "read",
      doc: {
        summary: "Services in a maintenance window or silenced now",
        tag: "alerts",
        responses: { 200: MaintenanceResponse, ...ERRORS },
      },
      handle: async () => ({ body: { services: runtime.maintenance() } }),
    },
  ];
}
