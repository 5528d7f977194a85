// Test helper: a TCP proxy in front of the real Postgres that can simulate an outage
// (drop every connection and refuse new ones) and a recovery, on a stable port.
import net from "node:net";

export interface TcpProxy {
  port: number;
  /** Destroys live connections and stops listening. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
  /**
   * The next COMMIT reaches Postgres and commits, but its reply is swallowed and the client's
   * connection cut: the "ambiguous commit" a retrying writer must not duplicate.
   */
  loseNextCommitReply(): void;
}

export async function startProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  let loseCommit = false;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on("close", () => sockets.delete(sock));
          sock.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        let swallowing = false;
        client.on("data", (buf: Buffer) => {
          if (loseCommit && buf.includes("COMMIT")) {
            loseCommit = false;
            swallowing = true;
          }
          upstream.write(buf);
        });
        upstream.on("data", (buf: Buffer) => {
          if (!swallowing) {
            client.write(buf);
            return;
          }
          client.destroy();
          upstream.destroy();
        });
        client.on("end", () => upstream.end());
        upstream.on("end", () => client.end());
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const down = async () => {
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    port,
    down,
    up: listen,
    close: down,
    loseNextCommitReply: () => {
      loseCommit = true;
    },
  };
}
