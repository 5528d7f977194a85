import type { IncomingHttpHeaders } from "node:http";
import { startHttpServer, type TestServer } from "./http-server.ts";

/** One request as a provider would see it. */
export interface Received {
  method: string;
  /** Path and query, e.g. "/v2/alerts/abc/close?identifierType=alias". */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export interface Receiver extends TestServer {
  received: Received[];
}

/**
 * A real HTTP server on port 0 that records every request and answers as `answer` says (the
 * provider's documented answers: 200/202/204, 400, 429 with Retry-After, 500…).
 */
export async function startReceiver(answer: (req: Received, hit: number) => Answer): Promise<Receiver> {
  const received: Received[] = [];
  const server = await startHttpServer((req, res, hit) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: Received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const { status, headers = {}, body = "" } = answer(request, hit);
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const type = typeof body === "string" ? "text/plain" : "application/json";
      res.writeHead(status, { "content-type": type, ...headers });
      res.end(text);
    });
  });
  return Object.assign(server, { received });
}

/** Receivers started by one test file, closed after each test: `afterEach(pool.closeAll)`. */
export function receiverPool(): {
  start(answer: (req: Received, hit: number) => Answer): Promise<Receiver>;
  closeAll(): Promise<void>;
} {
  const open: Receiver[] = [];
  return {
    async start(answer) {
      const receiver = await startReceiver(answer);
      open.push(receiver);
      return receiver;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((r) => r.close()));
    },
  };
}

/**
 * A provider's answers in turn: its documented success, then 429 with Retry-After: 2, then 503,
 * then its documented rejection (bad token, invalid payload). Pair with expectProviderClassification.
 */
export function providerAnswers(success: Answer, rejection: Answer): (req: Received, hit: number) => Answer {
  return (_req, hit) => {
    const turn = (hit - 1) % 4;
    if (turn === 0) return success;
    if (turn === 1) return { status: 429, headers: { "retry-after": "2" }, body: "rate limited" };
    if (turn === 2) return { status: 503, body: "unavailable" };
    return rejection;
  };
}
