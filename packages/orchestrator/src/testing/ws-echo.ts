import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export interface TestWsServer {
  url: string;
  close(): Promise<void>;
}

/** A real WebSocket server on 127.0.0.1, port 0, echoing every message back. */
export async function startWsEcho(): Promise<TestWsServer> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  wss.on("connection", (socket) => socket.on("message", (data, binary) => socket.send(data, { binary })));
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
