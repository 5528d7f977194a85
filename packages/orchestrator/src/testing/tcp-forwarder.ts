import net from "node:net";

/**
 * A TCP forwarder in front of a real endpoint (a Docker engine's TCP port) that can go away and
 * come back on the same port: `cut()` drops every connection and stops listening (the host stops
 * answering, as a dead machine or a broken network would), `restore()` listens again. It counts
 * the bytes the target sent: what a client downloaded, as it travelled on the wire.
 */
export interface TcpForwarder {
  port: number;
  /** Bytes the target has sent through the forwarder so far. */
  received(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function forwardTcp(target: { host: string; port: number }, port = 0): Promise<TcpForwarder> {
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  let bound = port;
  let received = 0;
  const track = (socket: net.Socket, other: () => net.Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => other().destroy());
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        upstream.on("data", (chunk: Buffer) => {
          received += chunk.byteLength;
        });
        track(client, () => upstream);
        track(upstream, () => client);
        client.pipe(upstream).pipe(client);
      });
      s.once("error", reject);
      s.listen(bound, "127.0.0.1", () => {
        bound = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const socket of open) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return { port: bound, received: () => received, cut, restore: listen, close: cut };
}
