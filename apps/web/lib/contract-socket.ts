import * as z from "zod/mini";
import { CheckValue } from "./contract-values";
import {
  ActionStepView,
  ActionView,
  DockerHealth,
  ResultStatus,
  ServiceStatus,
  type ServicesResponse,
  type StoreHealth,
} from "./contract-views";
import { decodeSnapshot } from "./snapshot-decode";
import { SnapshotWire } from "./snapshot-wire";

/*
 * The Socket.IO half of the wire contract (contract.ts re-exports it). The browser validates
 * every payload with these schemas before it touches the query cache.
 */

/**
 * The board on connect and after a config reload, packed (snapshot-wire.ts); parsing it yields
 * the ServicesResponse that GET /api/services serves. A payload that does not decode fails the
 * parse like any other invalid one.
 */
export const SnapshotPayload = z.pipe(
  SnapshotWire,
  z.transform((wire: SnapshotWire, ctx): ServicesResponse => {
    try {
      return decodeSnapshot(wire);
    } catch (err) {
      ctx.issues.push({
        code: "custom",
        message: err instanceof Error ? err.message : String(err),
        input: wire,
      });
      return z.NEVER;
    }
  }),
);

export const StatusDelta = z.object({
  service: z.string(),
  from: ServiceStatus,
  to: ServiceStatus,
  reason: z.string(),
  blockedBy: z.array(z.string()),
  at: z.string(),
});
export type StatusDelta = z.infer<typeof StatusDelta>;

export const ResultDelta = z.object({
  service: z.string(),
  check: z.string(),
  at: z.string(),
  status: ResultStatus,
  latencyMs: z.number(),
  message: z.string(),
  /** The run's values, when its kind reports any. */
  values: z.optional(z.array(CheckValue)),
  /** Docker checks: the container's own HEALTHCHECK verdict in this run (absent = none reported). */
  dockerHealth: z.optional(DockerHealth),
  /** The service's 24 h uptime including this result (0..1, null = no data); absent from older servers. */
  uptime24h: z.optional(z.nullable(z.number())),
});
export type ResultDelta = z.infer<typeof ResultDelta>;

export const ActionDelta = z.discriminatedUnion("type", [
  z.object({ type: z.literal("planned"), action: ActionView }),
  z.object({ type: z.literal("step"), actionId: z.string(), step: ActionStepView }),
  z.object({
    type: z.literal("finished"),
    actionId: z.string(),
    result: z.enum(["succeeded", "failed", "cancelled"]),
    message: z.string(),
    at: z.string(),
  }),
]);
export type ActionDelta = z.infer<typeof ActionDelta>;

export const LogLine = z.object({
  service: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  line: z.string(),
  at: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

export const ResourcesDelta = z.object({
  service: z.string(),
  at: z.string(),
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  /** Present when the service has a memory limit (container limit, or a process's resources.memory). */
  memoryLimitBytes: z.optional(z.number()),
  /**
   * How that limit is enforced: the container's cgroup, a process's own cgroup (v1 or v2), or a
   * process's rlimit plus Vigil's tree check.
   */
  limitEnforcement: z.optional(z.enum(["cgroup", "cgroup v1", "cgroup v2", "rlimit+sampler"])),
  fds: z.optional(z.number()),
  threads: z.optional(z.number()),
});
export type ResourcesDelta = z.infer<typeof ResourcesDelta>;

/**
 * One change on the board (status, result) or in a service's room (log, resources). The hub
 * sends them batched: one `deltas` message per room per tick, in the order they happened, results
 * coalesced to the newest per check; a status change flushes its room at once.
 */
export const LiveDelta = z.discriminatedUnion("type", [
  z.extend(StatusDelta, { type: z.literal("status") }),
  z.extend(ResultDelta, { type: z.literal("result") }),
  z.extend(LogLine, { type: z.literal("log") }),
  z.extend(ResourcesDelta, { type: z.literal("resources") }),
]);
export type LiveDelta = z.infer<typeof LiveDelta>;
export const DeltaBatch = z.array(LiveDelta);
export type DeltaBatch = z.infer<typeof DeltaBatch>;

export const SubscribeRequest = z.object({ service: z.string().check(z.minLength(1)) });

/** Optional acknowledgement of subscribe/unsubscribe (unknown service, bad payload). */
export const SubscribeAck = z.object({ ok: z.boolean(), error: z.optional(z.string()) });
export type SubscribeAck = z.infer<typeof SubscribeAck>;

/** Server → client events. */
export interface ServerToClientEvents {
  snapshot: (payload: SnapshotWire) => void;
  deltas: (batch: DeltaBatch) => void;
  action: (payload: ActionDelta) => void;
  store: (payload: StoreHealth) => void;
}

/** Server ↔ server events (cluster mode, through the Socket.IO adapter). */
export interface InterServerEvents {
  /** An action's progress, from the member that runs it to the others' action trackers. */
  action: (payload: ActionDelta) => void;
}

/** Client → server events. */
export interface ClientToServerEvents {
  subscribe: (payload: z.infer<typeof SubscribeRequest>, ack?: (reply: SubscribeAck) => void) => void;
  unsubscribe: (payload: z.infer<typeof SubscribeRequest>, ack?: (reply: SubscribeAck) => void) => void;
}
