"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/contract";
import { api, keys, toSignIn } from "./api";

type VigilSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** What applying a payload needs: its schema and the cache writers. */
type Appliers = typeof import("./schemas") & typeof import("./cache");

/**
 * "off": no live link by design (a share-link visitor reads a fixed window over REST only).
 * "outdated": the server speaks a newer snapshot format than this page (Vigil was updated while the
 * tab stayed open) and a reload did not help.
 */
export type LinkState = "connecting" | "live" | "reconnecting" | "off" | "outdated";
export interface Connection {
  state: LinkState;
  /** When the last snapshot or delta arrived (ms epoch); null before the first. */
  lastDataAt: number | null;
  /** When the link went down (ms epoch); null while live. */
  downSince: number | null;
  /** performance.now() at the first snapshot: the time to first live status. */
  firstSnapshotMs: number | null;
}

/** A tiny external store for the link state (one per provider, never module-level). */
class ConnectionStore {
  #value: Connection = { state: "connecting", lastDataAt: null, downSince: null, firstSnapshotMs: null };
  readonly #listeners = new Set<() => void>();
  get = () => this.#value;
  subscribe = (fn: () => void) => {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  };
  set(patch: Partial<Connection>): void {
    this.#value = { ...this.#value, ...patch };
    for (const fn of this.#listeners) fn();
  }
}

interface LiveContext {
  connection: ConnectionStore;
  /** Joins a service's room (logs, resources) while mounted; counted, re-joined on reconnect. */
  subscribe(service: string): () => void;
}

const Ctx = createContext<LiveContext | null>(null);
const SERVER_CONNECTION: Connection = {
  state: "connecting",
  lastDataAt: null,
  downSince: null,
  firstSnapshotMs: null,
};

export function useConnection(): Connection {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useConnection outside <VigilLive>");
  return useSyncExternalStore(ctx.connection.subscribe, ctx.connection.get, () => SERVER_CONNECTION);
}

/** Live log lines and resource samples of one service for as long as the caller is mounted. */
export function useServiceRoom(service: string): void {
  const ctx = useContext(Ctx);
  useEffect(() => ctx?.subscribe(service), [ctx, service]);
}

/**
 * The one socket: writes the snapshot and every delta into the TanStack Query cache, so every
 * component reads the same data whether it came from REST or the socket.
 */
export function useVigilSocket(qc: QueryClient): LiveContext {
  const [live] = useState(() => {
    const rooms = new Map<string, number>();
    const ctx: LiveContext & { socket: VigilSocket | null } = {
      connection: new ConnectionStore(),
      socket: null,
      subscribe(service) {
        rooms.set(service, (rooms.get(service) ?? 0) + 1);
        if (rooms.get(service) === 1) ctx.socket?.emit("subscribe", { service });
        return () => {
          const n = (rooms.get(service) ?? 1) - 1;
          if (n > 0) rooms.set(service, n);
          else {
            rooms.delete(service);
            ctx.socket?.emit("unsubscribe", { service });
          }
        };
      },
    };
    return { ctx, rooms };
  });

  useEffect(() => {
    const { ctx, rooms } = live;
    // Every payload is validated, but zod is not in the first load: the schemas and the cache
    // writers are requested now, alongside the handshake, and payloads wait for them in arrival
    // order (one queue, which a failing handler must not stall).
    const appliers: Promise<Appliers> = Promise.all([import("./schemas"), import("./cache")]).then(
      ([schemas, cache]) => ({ ...schemas, ...cache }),
    );
    appliers.catch(() => undefined); // handled per payload below
    let queue: Promise<void> = Promise.resolve();
    let closed = false;
    const inOrder =
      <P,>(handle: (a: Appliers, payload: P) => void) =>
      (payload: P) => {
        queue = queue
          .then(() => appliers)
          .then(
            (a) => {
              if (!closed) handle(a, payload);
            },
            // Not loadable: the server was updated and this page's chunks are gone.
            () => {
              if (!closed) outdated();
            },
          )
          .catch((err: unknown) => console.error("Vigil: live update not applied", err));
      };
    const socket: VigilSocket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    ctx.socket = socket;
    const conn = ctx.connection;
    const touched = () => conn.set({ lastDataAt: Date.now() });
    let eventsTimer: ReturnType<typeof setTimeout> | undefined;
    let slowTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshSlowSoon = () => {
      slowTimer ??= setTimeout(() => {
        slowTimer = undefined;
        Promise.all([api.services(), appliers]).then(
          ([fresh, a]) => a.mergeSlowFields(qc, fresh),
          () => undefined,
        );
      }, 800);
    };
    // Uptime (refreshed each minute server-side) and restarts are not pushed as deltas.
    const slowPoll = setInterval(refreshSlowSoon, 60_000);
    const refreshEventsSoon = () => {
      eventsTimer ??= setTimeout(() => {
        eventsTimer = undefined;
        void qc.invalidateQueries({ queryKey: ["events"] });
        void qc.invalidateQueries({ queryKey: ["incidents"] });
      }, 1500);
    };

    socket.on("connect", () => {
      for (const service of rooms.keys()) socket.emit("subscribe", { service });
    });
    socket.on("disconnect", () =>
      conn.set({ state: "reconnecting", downSince: conn.get().downSince ?? Date.now() }),
    );
    socket.io.on("reconnect_attempt", () => {
      if (conn.get().state === "live") conn.set({ state: "reconnecting", downSince: Date.now() });
    });
    socket.on("connect_error", (err) => {
      if (err.message === "unauthorized") {
        // Refused handshake: a share link has no live link by design; anyone else signs in again.
        socket.disconnect();
        void api.session().then(
          (s) => (s.kind === "share" ? conn.set({ state: "off" }) : toSignIn()),
          () => toSignIn(),
        );
        return;
      }
      if (conn.get().state !== "connecting")
        conn.set({ state: "reconnecting", downSince: conn.get().downSince ?? Date.now() });
    });
    const outdated = () => {
      if (reloadForUpdate()) return;
      socket.disconnect();
      conn.set({ state: "outdated", downSince: conn.get().downSince ?? Date.now() });
    };
    socket.on(
      "snapshot",
      inOrder(({ SnapshotPayload }, payload) => {
        const parsed = SnapshotPayload.safeParse(payload);
        if (!parsed.success) {
          console.error("Vigil: snapshot not understood by this page", parsed.error.issues.slice(0, 3));
          outdated();
          return;
        }
        qc.setQueryData(keys.services, parsed.data);
        const first = conn.get().firstSnapshotMs ?? Math.round(performance.now());
        conn.set({ state: "live", lastDataAt: Date.now(), downSince: null, firstSnapshotMs: first });
        // Whatever happened while the link was down: refetch what the snapshot does not carry.
        void qc.invalidateQueries({ queryKey: keys.actions });
        refreshEventsSoon();
      }),
    );
    socket.on(
      "deltas",
      inOrder(({ DeltaBatch, applyDeltas }, payload) => {
        const parsed = DeltaBatch.safeParse(payload);
        if (!parsed.success) return;
        applyDeltas(qc, parsed.data);
        if (parsed.data.some((d) => d.type === "status" || d.type === "result")) touched();
        if (parsed.data.some((d) => d.type === "status")) {
          refreshEventsSoon();
          refreshSlowSoon();
        }
      }),
    );
    socket.on(
      "action",
      inOrder(({ ActionDelta, applyAction }, payload) => {
        const parsed = ActionDelta.safeParse(payload);
        if (!parsed.success) return;
        applyAction(qc, parsed.data);
        touched();
        if (parsed.data.type === "finished") {
          refreshEventsSoon();
          refreshSlowSoon();
        }
      }),
    );
    socket.on(
      "store",
      inOrder(({ StoreHealth, applyStore }, payload) => {
        const parsed = StoreHealth.safeParse(payload);
        if (parsed.success) applyStore(qc, parsed.data);
      }),
    );
    return () => {
      closed = true;
      clearTimeout(eventsTimer);
      clearTimeout(slowTimer);
      clearInterval(slowPoll);
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
      ctx.socket = null;
    };
  }, [live, qc]);

  return live.ctx;
}

const RELOAD_KEY = "vigil-reloaded-for-update";

/**
 * The page's code is older than the server's (Vigil was updated while the tab stayed open): a
 * reload fetches matching code. At most once a minute, so a real mismatch cannot loop.
 */
function reloadForUpdate(): boolean {
  try {
    const last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
    if (Date.now() - last < 60_000) return false;
    sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
  } catch {
    return false; // storage blocked: no loop guard, so no automatic reload; the notice offers one
  }
  window.location.reload();
  return true;
}

export function VigilLive({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const ctx = useVigilSocket(qc);
  return <Ctx.Provider value={ctx}>{children}</Ctx.Provider>;
}
