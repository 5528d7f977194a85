import { parentChannel } from "../lib/child.ts";
import { type ClientSocket, loadIo } from "../lib/io-client.ts";
import type { ClientsIn, ClientsOut } from "../lib/socket-clients.ts";
import { epochMs } from "../lib/time.ts";

/*
 * N Socket.IO clients in one process apart from the server, as browsers would be: each records
 * when it receives a `status` event for the watched service. When all N have one transition, the
 * parent gets the receive times (epoch ms, comparable with the server process's clock).
 */

const [url, countText, watched] = process.argv.slice(2);
if (!url || !countText || !watched) throw new Error("usage: socket-clients <url> <count> <service>");
const count = Number(countText);
const sockets: ClientSocket[] = [];
const io = await loadIo();
/** Receive times per transition key `${to}|${at}`. */
const received = new Map<string, number[]>();
let snapshotBytes = 0;

const channel = parentChannel<ClientsOut, ClientsIn>((message) => {
  if (message.type === "close") {
    for (const s of sockets) s.close();
    channel.send({ type: "closed" });
  }
});

let connected = 0;
for (let i = 0; i < count; i++) {
  const socket = io(url, { transports: ["websocket"], reconnection: false, timeout: 20_000 });
  sockets.push(socket);
  socket.once("snapshot", (payload: unknown) => {
    // The first client's snapshot stands for all: the server serves every connect the same one.
    if (snapshotBytes === 0) snapshotBytes = Buffer.byteLength(JSON.stringify(payload));
    connected++;
    if (connected === count) channel.send({ type: "connected", snapshotBytes });
  });
  socket.on("status", (delta: { service: string; to: string; at: string }) => {
    const at = epochMs();
    if (delta.service !== watched) return;
    const key = `${delta.to}|${delta.at}`;
    const times = received.get(key) ?? [];
    times.push(at);
    received.set(key, times);
    if (times.length === count) channel.send({ type: "transition", to: delta.to, at: delta.at, times });
  });
  socket.on("connect_error", (error: Error) => channel.send({ type: "error", message: error.message }));
}
