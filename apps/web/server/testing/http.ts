import { io, type Socket } from "socket.io-client";
import {
  type ClientToServerEvents,
  type LiveDelta,
  type ServerToClientEvents,
  type ServicesResponse,
  SnapshotPayload,
} from "../../lib/contract.ts";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function getJson(base: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json() };
}

export async function postJson(
  base: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.json() };
}

export function connect(base: string): TestSocket {
  return io(base, { transports: ["websocket"], reconnection: false, timeout: 5000 });
}

/** Resolves with the first payload of `event` that `match` accepts, or rejects after `ms`. */
export function waitFor<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 10_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no matching "${String(event)}" within ${ms} ms`));
    }, ms);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

/** The next snapshot, decoded as the browser decodes it. */
export async function nextSnapshot(socket: TestSocket, ms = 10_000): Promise<ServicesResponse> {
  return SnapshotPayload.parse(await waitFor(socket, "snapshot", () => true, ms));
}

/** Resolves with the first delta of `type` that `match` accepts, whichever batch carries it. */
export function waitForDelta<T extends LiveDelta["type"]>(
  socket: TestSocket,
  type: T,
  match: (delta: Extract<LiveDelta, { type: T }>) => boolean = () => true,
  ms = 10_000,
): Promise<Extract<LiveDelta, { type: T }>> {
  const wanted = (d: LiveDelta): d is Extract<LiveDelta, { type: T }> => d.type === type;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off("deltas", listener);
      reject(new Error(`no matching "${type}" delta within ${ms} ms`));
    }, ms);
    const listener = (batch: LiveDelta[]) => {
      const found = batch.find((d) => wanted(d) && match(d));
      if (!found || !wanted(found)) return;
      clearTimeout(timer);
      socket.off("deltas", listener);
      resolve(found);
    };
    socket.on("deltas", listener);
  });
}

// Values as Prometheus parses them (Go's ParseFloat: NaN and Inf in any letter case).
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|[+-]?inf|nan)( -?\d+)?$/i;

/** Checks the Prometheus text exposition format line by line; returns the offending lines. */
export function badExpositionLines(text: string): string[] {
  return text.split("\n").filter((line) => {
    if (line === "") return false;
    if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) return false;
    return !SAMPLE.test(line);
  });
}
