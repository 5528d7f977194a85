import { Agent, type Dispatcher, interceptors, request } from "undici";

/*
 * The HTTP probe's client: undici's `request` on one keep-alive Agent (a pool per origin) instead
 * of `fetch`, whose WHATWG Request/Response/stream objects were the largest per-check cost in the
 * probe bench's profile. Like fetch's global dispatcher it lives for the process: every http
 * check of one origin shares its warm connections, whichever monitor runs them.
 */

/** Connections kept per origin: enough for max_concurrent_probes' default, bounded all the same. */
export const CONNECTIONS_PER_ORIGIN = 32;
/** fetch's limit: a longer chain is a loop, not a health endpoint. */
const MAX_REDIRECTIONS = 20;

let shared: Dispatcher | undefined;

/** Created on first use so importing the probe registry opens nothing. */
function dispatcher(): Dispatcher {
  shared ??= new Agent({
    connections: CONNECTIONS_PER_ORIGIN,
    // Below Node's server default (5 s), so the client closes an idle connection before the
    // server does and a request never races a server-side close.
    keepAliveTimeout: 4000,
    // The caller's signal carries the check's timeout; undici's own 300 s limits stay as a backstop.
  }).compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
  return shared;
}

export interface HttpRequest {
  url: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Bytes of body read at most; the rest is dropped with the connection. */
  maxBody: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** fetch sends these unless told otherwise; kept so targets see the same request as before. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = { accept: "*/*", "user-agent": "node" };

/** One request, its body read up to `maxBody` (HEAD reads none). Throws on network errors and aborts. */
export async function httpRequest(req: HttpRequest): Promise<HttpAnswer> {
  const headers = withDefaults(req.headers);
  const response = await request(req.url, {
    dispatcher: dispatcher(),
    method: req.method,
    headers,
    signal: req.signal,
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  if (req.method === "HEAD") {
    await response.body.dump();
    return { status: response.statusCode, text: "" };
  }
  return { status: response.statusCode, text: await readCapped(response.body, req.maxBody) };
}

function withDefaults(given: Record<string, string>): Record<string, string> {
  const lower = new Set(Object.keys(given).map((k) => k.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(DEFAULT_HEADERS)) if (!lower.has(name)) headers[name] = value;
  return Object.assign(headers, given);
}

/**
 * Listeners rather than `for await`: the async iterator a stream makes (a generator, end-of-stream
 * tracking, a promise per chunk) was a visible share of an HTTP check's CPU, for a body that is
 * usually one chunk. Settles like the loop did: on end, on the body's error, or on a close before
 * its end (Node's "Premature close").
 */
function readCapped(body: Dispatcher.ResponseData["body"], maxBody: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      body.off("data", onData);
      if (error !== undefined) reject(error);
      else
        resolve(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString("utf8")
            : Buffer.concat(chunks).toString("utf8"),
        );
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= maxBody) {
        // Stops reading; undici closes this connection rather than drain megabytes into the pool.
        body.destroy();
        settle();
      }
    };
    body.on("data", onData);
    body.once("end", () => settle());
    body.once("error", (error: unknown) => settle(error));
    // After "end" this is the normal close: no Error (and its stack) is made for it.
    body.once("close", () => settled || settle(prematureClose()));
  });
}

function prematureClose(): Error {
  return Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}
