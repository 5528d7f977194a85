import { deflateRawSync } from "node:zlib";
import type { LiveDelta } from "../../apps/web/lib/contract.ts";
import { parentChannel } from "../lib/child.ts";
import { type ClientSocket, loadIo } from "../lib/io-client.ts";
import type { ClientsIn, ClientsOut, SnapshotSize } from "../lib/socket-clients.ts";
import { epochMs } from "../lib/time.ts";

/*
 * N Socket.IO clients in one process apart from the server, as browsers would be: each records
 * when it receives a `status` delta for the watched service (deltas arrive in batches). When all N have one transition, the
 * parent gets the receive times (epoch ms, comparable with the server process's clock). On
 * request the clients count what they receive for a while (messages and the results they carry).
 */

const [url, countText, watched] = process.argv.slice(2);
if (!url || !countText || !watched) throw new Error("usage: socket-clients <url> <count> <service>");
const count = Number(countText);
const sockets: ClientSocket[] = [];
const io = await loadIo();
/** Receive times per transition key `${to}|${at}`. */
const received = new Map<string, number[]>();
let snapshot: SnapshotSize | undefined;
const tally = { messages: 0, results: 0 };

const channel = parentChannel<ClientsOut, ClientsIn>((message) => {
  if (message.type === "close") {
    for (const s of sockets) s.close();
    channel.send({ type: "closed" });
  } else if (message.type === "count") {
    tally.messages = 0;
    tally.results = 0;
    setTimeout(() => channel.send({ type: "counted", ...tally, clients: count }), message.ms);
  }
});

/** What the payload weighs as Socket.IO sends it: JSON, and permessage-deflate over the packet. */
function sizeOf(payload: unknown): SnapshotSize {
  const json = JSON.stringify(payload);
  return {
    raw: Buffer.byteLength(json),
    deflated: deflateRawSync(Buffer.from(`42["snapshot",${json}]`)).byteLength,
  };
}

let connected = 0;
for (let i = 0; i < count; i++) {
  const socket = io(url, { transports: ["websocket"], reconnection: false, timeout: 20_000 });
  sockets.push(socket);
  socket.once("snapshot", (payload: unknown) => {
    // The first client's snapshot stands for all: the server serves every connect the same one.
    snapshot ??= sizeOf(payload);
    connected++;
    if (connected === count) channel.send({ type: "connected", snapshot });
  });
  socket.onAny((event: string) => {
    if (event !== "snapshot") tally.messages++;
  });
  socket.on("deltas", (batch: LiveDelta[]) => {
    const at = epochMs();
    for (const delta of batch) {
      if (delta.type === "result") tally.results++;
      if (delta.type !== "status" || delta.service !== watched) continue;
      const key = `${delta.to}|${delta.at}`;
      const times = received.get(key) ?? [];
      times.push(at);
      received.set(key, times);
      if (times.length === count) channel.send({ type: "transition", to: delta.to, at: delta.at, times });
    }
  });
  socket.on("connect_error", (error: Error) => channel.send({ type: "error", message: error.message }));
}
