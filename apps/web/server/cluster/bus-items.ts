import type { CheckState, EngineEvent, Ping, RemoteResult } from "@vigil/orchestrator";
import { z } from "zod";
import { ResultStatus, StageReached } from "../../lib/contract.ts";

/*
 * What instances tell each other on the cluster bus: their own probe results (with the check
 * state they decided) and push pings they received. Another instance is an edge like any client:
 * what arrives is validated here before it touches the engine.
 */

/** Long texts are cut so one item stays well under a NOTIFY payload (8,000 bytes). */
const MESSAGE_MAX = 1000;
const BODY_MAX = 2000;
/** Details (health documents, child results) travel only while the item stays this small. */
const ITEM_BUDGET = 6000;

const CheckStateSchema = z.object({
  state: z.enum(["healthy", "degraded", "unhealthy", "unknown"]),
  circuit: z.enum(["closed", "open", "half-open"]),
  consecutiveFailures: z.number().int().nonnegative(),
  consecutiveSuccesses: z.number().int().nonnegative(),
  periodStart: z.number(),
  startedOk: z.boolean(),
  openedAt: z.number().optional(),
}) satisfies z.ZodType<CheckState>;

const ResultItemSchema = z.object({
  t: z.literal("result"),
  service: z.string(),
  check: z.string(),
  at: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  result: z.object({
    status: ResultStatus,
    latencyMs: z.number(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    values: z.record(z.string(), z.number()).optional(),
    stage: z.optional(StageReached),
  }),
  state: CheckStateSchema,
  counted: z.boolean(),
});

const PingItemSchema = z.object({
  t: z.literal("ping"),
  service: z.string(),
  check: z.string(),
  kind: z.enum(["start", "success", "fail"]),
  exitCode: z.number().int().optional(),
  body: z.string().optional(),
});

const BusItemSchema = z.discriminatedUnion("t", [ResultItemSchema, PingItemSchema]);

export type BusItem = z.input<typeof BusItemSchema>;
export type RelayedPing = { service: string; check: string; ping: Omit<Ping, "at"> };
export type Received = { kind: "result"; result: RemoteResult } | ({ kind: "ping" } & RelayedPing);

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** This instance's own result as it travels; undefined for what must not travel (remote ones). */
export function resultItem(event: EngineEvent): BusItem | undefined {
  if (event.type !== "check.result" || event.remote || !event.checkState) return undefined;
  const { details, ...rest } = event.result;
  const item: BusItem = {
    t: "result",
    service: event.service,
    check: event.check,
    at: event.at.toISOString(),
    result: { ...rest, message: cut(rest.message, MESSAGE_MAX) },
    state: event.checkState,
    counted: event.counted,
  };
  if (details === undefined) return item;
  const withDetails = { ...item, result: { ...item.result, details } };
  return Buffer.byteLength(JSON.stringify(withDetails)) <= ITEM_BUDGET ? withDetails : item;
}

export function pingItem({ service, check, ping }: RelayedPing): BusItem {
  return {
    t: "ping",
    service,
    check,
    kind: ping.kind,
    ...(ping.exitCode === undefined ? {} : { exitCode: ping.exitCode }),
    ...(ping.body === undefined ? {} : { body: cut(ping.body, BODY_MAX) }),
  };
}

/** Items from another instance, validated; the ones that do not parse are counted, not thrown. */
export function readItems(items: readonly unknown[]): { received: Received[]; invalid: number } {
  const received: Received[] = [];
  let invalid = 0;
  for (const raw of items) {
    const parsed = BusItemSchema.safeParse(raw);
    if (!parsed.success) {
      invalid++;
      continue;
    }
    const item = parsed.data;
    if (item.t === "result") {
      const { t: _t, ...result } = item;
      received.push({ kind: "result", result });
    } else {
      const { service, check, kind, exitCode, body } = item;
      const ping: Omit<Ping, "at"> = {
        kind,
        ...(exitCode === undefined ? {} : { exitCode }),
        ...(body === undefined ? {} : { body }),
      };
      received.push({ kind: "ping", service, check, ping });
    }
  }
  return { received, invalid };
}
