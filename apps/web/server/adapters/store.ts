import { HistoryInputError, type HistoryStore } from "@vigil/db";
import type { EventView, Incident } from "../../lib/contract.ts";
import { withTimeout } from "../async.ts";
import type { EventRecord, StoredAction, StorePort } from "../ports.ts";
import { HttpError } from "../rest/errors.ts";

/*
 * Adapts @vigil/db's HistoryStore to the StorePort the web layer uses. The store names a status
 * change "transition"; the wire contract calls it "status".
 */

const toDbType = (type: EventRecord["type"]): string => (type === "status" ? "transition" : type);
const fromDbType = (type: string): EventView["type"] =>
  type === "action" || type === "restart" ? type : "status";
const KINDS = new Set(["start", "stop", "restart", "rollback"]);
const RESULTS = new Set(["succeeded", "failed", "cancelled"]);

/** Latencies to 0.01 ms: a 30-day chart of 720 points should not carry 17 digits per number. */
const ms = (n: number | null): number | null => (n === null ? null : Math.round(n * 100) / 100);

/** Values to 0.001, as the board shows them. */
const value = (n: number): number => Math.round(n * 1000) / 1000;

function waves(value: unknown): string[][] {
  return Array.isArray(value) && value.every((w) => Array.isArray(w) && w.every((s) => typeof s === "string"))
    ? (value as string[][])
    : [];
}

export function adaptStore(store: HistoryStore): StorePort {
  const toAction = (a: Awaited<ReturnType<HistoryStore["action"]>>): StoredAction | null => {
    if (!a || !KINDS.has(a.kind)) return null;
    return {
      id: a.id,
      kind: a.kind as StoredAction["kind"],
      targets: a.targets,
      waves: waves(a.waves),
      requestedBy: a.requestedBy,
      startedAt: a.startedAt,
      finishedAt: a.finishedAt,
      result: a.result && RESULTS.has(a.result) ? (a.result as StoredAction["result"]) : "running",
      message: a.message,
      steps: a.steps,
    };
  };

  return {
    // The record is already the store's shape, and the store copies it as it queues it.
    recordResult: (r) => store.recordResult(r),
    recordResources: (r) => store.recordResources(r),
    recordEvent: (e) =>
      store.recordEvent({
        type: toDbType(e.type),
        // Stack-wide events (an action on the whole stack) have no service.
        service: e.service ?? "",
        from: e.from,
        to: e.to,
        reason: e.message,
        at: e.at,
        actionId: e.actionId,
      }),
    recordAction: (a) => {
      store.recordAction({
        id: a.id,
        kind: a.kind,
        targets: a.targets,
        waves: a.waves,
        requestedBy: a.requestedBy,
        startedAt: a.startedAt,
      });
    },
    updateAction: (id, u) =>
      store.updateAction(id, {
        finishedAt: u.finishedAt,
        result: u.result,
        message: u.message,
        steps: u.steps,
      }),
    flush: (timeoutMs) => withTimeout(store.flush(), timeoutMs, "flushing history"),
    health: () => {
      const h = store.health();
      return { state: h.state, queueDepth: h.queueDepth, dropped: h.dropped, message: h.message };
    },
    async history(q) {
      const out = await store
        .history({
          service: q.service,
          ...(q.check === null ? {} : { check: q.check }),
          from: q.from,
          to: q.to,
          resolution: q.resolution,
          cursor: q.cursor,
          limit: q.limit,
          exclude: q.exclude,
        })
        .catch((err: unknown) => {
          // The store's refusals (raw span over 24 h, a foreign cursor) are the caller's mistake.
          if (err instanceof HistoryInputError) throw new HttpError("bad_request", err.message, err.field);
          throw err;
        });
      return {
        resolution: out.resolution,
        uptime: out.uptime,
        next: out.next,
        points: out.points.map((p) => ({
          t: p.t.toISOString(),
          count: p.count,
          failures: p.failures,
          min: ms(p.min),
          avg: ms(p.avg),
          max: ms(p.max),
          p50: ms(p.p50),
          p95: ms(p.p95),
          p99: ms(p.p99),
          ...(p.status === undefined ? {} : { status: p.status }),
          ...(p.message === undefined || p.message === null ? {} : { message: p.message }),
        })),
      };
    },
    async values(q) {
      const out = await store.values({
        service: q.service,
        ...(q.check === null ? {} : { check: q.check }),
        from: q.from,
        to: q.to,
        resolution: q.resolution,
      });
      return out.series.map((series) => ({
        check: series.check,
        name: series.name,
        points: series.points.map((p) => ({
          t: p.t.toISOString(),
          count: p.count,
          min: value(p.min),
          avg: value(p.avg),
          max: value(p.max),
        })),
      }));
    },
    async sparklines(q) {
      const rows = await store.sparklines(q.services, q.points);
      return new Map(
        Object.entries(rows).map(([service, points]) => [
          service,
          points.map((p) => (p.status === "unhealthy" ? null : p.latencyMs)),
        ]),
      );
    },
    async uptimeCounts(q) {
      // One query per service, sequentially: the embedded Postgres serves one connection.
      const out = new Map<string, { total: number; failed: number }>();
      for (const service of q.services)
        out.set(service, await store.uptimeCounts({ service, from: q.from, to: q.to }));
      return out;
    },
    async events(q) {
      const rows = await store.events({ ...q, ...(q.type === undefined ? {} : { type: toDbType(q.type) }) });
      return rows.map(
        (e): EventView => ({
          id: e.id,
          at: e.at.toISOString(),
          service: e.service === "" ? null : e.service,
          type: fromDbType(e.type),
          from: e.from,
          to: e.to,
          message: e.reason ?? "",
          actionId: e.actionId,
        }),
      );
    },
    async incidents(q) {
      const rows = await store.incidents(q);
      return rows.map(
        (i): Incident => ({
          service: i.service,
          from: i.from.toISOString(),
          to: i.to ? i.to.toISOString() : null,
          status: "unhealthy",
          reason: i.reason ?? "",
        }),
      );
    },
    async actions(q) {
      const rows = await store.actions(q);
      return rows.map(toAction).filter((a): a is StoredAction => a !== null);
    },
    action: async (id) => toAction(await store.action(id)),
    close: (timeoutMs) => store.close(timeoutMs),
  };
}
