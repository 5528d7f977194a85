import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpTarget {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A real HTTP probe target on 127.0.0.1:0 answering 200 with a small health document. */
export async function startHttpTarget(): Promise<HttpTarget> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"healthy"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
