import type { EngineEvent } from "@vigil/orchestrator";
import type { Server, Socket } from "socket.io";
import {
  type ActionDelta,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type StoreHealth,
  SubscribeRequest,
} from "../../lib/contract.ts";
import type { SnapshotWire } from "../../lib/snapshot-wire.ts";
import { toStep } from "../live/actions.ts";
import { CheckKindIndex, checkValues } from "../live/check-values.ts";
import type { LiveState } from "../live/state.ts";
import { dockerHealthOf, round, truncate } from "../live/views.ts";
import { DeltaBatcher, EVERYONE } from "./batch.ts";
import { encodeSnapshot } from "./snapshot-encode.ts";

export type VigilIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;
type VigilSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const room = (service: string) => `svc:${service}`;
const roundUptime = (u: number | null) => (u === null ? null : Math.round(u * 1e5) / 1e5);

/**
 * Pushes the board to browsers: one packed snapshot per connection, then batched deltas (see
 * batch.ts). Per-service detail (log lines, resource samples) only goes to sockets that
 * subscribed to that service's room.
 */
export class SocketHub {
  readonly #batcher: DeltaBatcher;
  readonly #storeTimer: NodeJS.Timeout;
  #lastStore = "";
  #cached: { at: number; payload: SnapshotWire } | undefined;
  readonly #kinds = new CheckKindIndex();
  readonly #peers: boolean;

  constructor(
    private readonly io: VigilIo,
    private readonly live: LiveState,
    /** peers: cluster mode — the other members' servers get action deltas too (serverSideEmit). */
    opts: { tickMs?: number; storePollMs?: number; peers?: boolean } = {},
  ) {
    this.#peers = opts.peers ?? false;
    this.#batcher = new DeltaBatcher(
      (room, batch) => {
        // Local: every instance sends its own browsers its own monitor's deltas (cluster mode).
        if (room !== EVERYONE) return void this.io.local.to(room).emit("deltas", batch);
        // A socket that connects after this flush must not get a snapshot from before it.
        this.#cached = undefined;
        this.io.local.emit("deltas", batch);
      },
      { tickMs: opts.tickMs ?? 250 },
    );
    this.#storeTimer = setInterval(() => this.#pollStore(), opts.storePollMs ?? 1000);
    this.#storeTimer.unref();
    io.on("connection", (socket) => this.#onConnection(socket));
  }

  /** A burst of connects (a deploy reloading every tab) shares one snapshot for 200 ms. */
  snapshot(): SnapshotWire {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < 200) return this.#cached.payload;
    const payload = encodeSnapshot(this.live.services());
    this.#cached = { at: now, payload };
    return payload;
  }

  publish(event: EngineEvent): void {
    switch (event.type) {
      case "check.result":
        this.#batcher.push(EVERYONE, {
          type: "result",
          service: event.service,
          check: event.check,
          at: event.at.toISOString(),
          status: event.result.status,
          latencyMs: round(event.result.latencyMs),
          message: truncate(event.result.message, 300),
          ...this.#values(event.service, event.check, event.result.values),
          ...this.#dockerHealth(event.service, event.check, event.result.details),
          // The board's 24 h uptime moves with every result, not only in the next snapshot.
          uptime24h: roundUptime(this.live.uptime.get(event.service)),
        });
        return;
      case "service.status":
        this.#cached = undefined;
        this.#batcher.push(EVERYONE, {
          type: "status",
          service: event.service,
          from: event.from,
          to: event.to,
          reason: truncate(event.reason, 300),
          blockedBy: event.blockedBy ?? [],
          at: event.at.toISOString(),
        });
        return;
      // Actions run on one instance only (their owner's): through the adapter to every browser.
      case "action.planned": {
        this.#cached = undefined;
        const action = this.live.actions.get(event.plan.actionId);
        if (action) this.#action({ type: "planned", action: { ...action, steps: [] } });
        return;
      }
      case "action.step":
        this.#action({ type: "step", actionId: event.actionId, step: toStep(event) });
        return;
      case "action.finished":
        this.#cached = undefined;
        this.#action({
          type: "finished",
          actionId: event.actionId,
          result: event.result,
          message: event.message,
          at: event.at.toISOString(),
        });
        return;
      case "service.log":
        this.#batcher.push(room(event.service), {
          type: "log",
          service: event.service,
          stream: event.stream,
          line: truncate(event.line, 4000),
          at: event.at.toISOString(),
        });
        return;
      case "service.resources":
        // To everyone, not the service's room: board tiles show CPU and memory bars. One sample
        // per service per sampling interval (5 s), so 1,000 services add ~200 small deltas/s.
        this.#batcher.push(EVERYONE, {
          type: "resources",
          service: event.service,
          at: event.at.toISOString(),
          cpuPercent: Math.round(event.cpuPercent * 10) / 10,
          memoryBytes: event.memoryBytes,
          ...(event.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: event.memoryLimitBytes }),
          ...(event.limitEnforcement === undefined ? {} : { limitEnforcement: event.limitEnforcement }),
          ...(event.fds === undefined ? {} : { fds: event.fds }),
          ...(event.threads === undefined ? {} : { threads: event.threads }),
        });
        return;
      case "service.restarted":
        // The status change that follows carries what the board needs.
        this.#cached = undefined;
        return;
    }
  }

  /** Tells every browser the board changed shape (config reload). */
  resnapshot(): void {
    // Deltas from before the reload go first, so the new board is what stays.
    this.#batcher.flush();
    this.#cached = undefined;
    this.io.local.emit("snapshot", this.snapshot());
  }

  close(): void {
    this.#batcher.close();
    clearInterval(this.#storeTimer);
  }

  #action(delta: ActionDelta): void {
    this.io.emit("action", delta);
    if (this.#peers) this.io.serverSideEmit("action", delta);
  }

  /** A result's values with their units (the kind declares them), or nothing when it has none. */
  #dockerHealth(service: string, check: string, details: Record<string, unknown> | undefined) {
    if (details?.health === undefined) return {};
    return dockerHealthOf(this.#kinds.kindOf(this.live.config, service, check) ?? "", details);
  }

  #values(service: string, check: string, values: Record<string, number> | undefined) {
    if (values === undefined) return {};
    const kind = this.#kinds.kindOf(this.live.config, service, check) ?? "";
    const list = checkValues(kind, values);
    return list === undefined ? {} : { values: list };
  }

  #onConnection(socket: VigilSocket): void {
    let snapshot: SnapshotWire;
    try {
      snapshot = this.snapshot();
    } catch (err) {
      // One value the packer cannot encode must cost this browser its live view, never the server.
      this.live.log(`socket: snapshot not sent: ${err instanceof Error ? err.message : String(err)}`);
      socket.disconnect(true);
      return;
    }
    socket.emit("snapshot", snapshot);
    socket.on("subscribe", (payload, ack) => {
      const parsed = SubscribeRequest.safeParse(payload);
      if (!parsed.success) return reply(ack, { ok: false, error: "subscribe needs { service: string }" });
      const known = this.live.config.services[parsed.data.service] !== undefined;
      if (!known) return reply(ack, { ok: false, error: `unknown service "${parsed.data.service}"` });
      void socket.join(room(parsed.data.service));
      reply(ack, { ok: true });
    });
    socket.on("unsubscribe", (payload, ack) => {
      const parsed = SubscribeRequest.safeParse(payload);
      if (!parsed.success) return reply(ack, { ok: false, error: "unsubscribe needs { service: string }" });
      void socket.leave(room(parsed.data.service));
      reply(ack, { ok: true });
    });
  }

  #pollStore(): void {
    const health: StoreHealth = this.live.store.health();
    const key = JSON.stringify(health);
    if (key === this.#lastStore) return;
    this.#lastStore = key;
    this.io.local.emit("store", health);
  }
}

function reply(ack: unknown, body: { ok: boolean; error?: string }): void {
  if (typeof ack === "function") ack(body);
}
