import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  url: string;
  port: number;
  /** Requests received so far. */
  hits: number;
  /** Requests currently being handled (not yet answered). */
  open: number;
  /** Highest `open` seen. */
  maxOpen: number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1, port 0. The handler may never answer (a hanging target):
 * close() destroys open connections so tests never wait on it.
 */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void,
): Promise<TestServer> {
  const state = { hits: 0, open: 0, maxOpen: 0 };
  const server: Server = createServer((req, res) => {
    state.hits++;
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    let counted = true;
    const done = () => {
      if (counted) state.open--;
      counted = false;
    };
    res.once("finish", done);
    res.once("close", done);
    handler(req, res, state.hits);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get hits() {
      return state.hits;
    },
    get open() {
      return state.open;
    },
    get maxOpen() {
      return state.maxOpen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
