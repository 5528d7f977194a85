import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { z } from "zod";
import type { Authorize, Permission, Principal } from "../auth/seam.ts";
import { BodyError, readBody } from "../http/read-body.ts";
import { HttpError } from "./errors.ts";

export type Method = "GET" | "POST";

export interface RequestContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON body (POST only); undefined when empty. */
  body: unknown;
  /** null only on public routes asked by someone not signed in. */
  principal: Principal | null;
}

export interface Reply {
  status?: number;
  body: unknown;
  /** Default application/json. Text bodies (metrics) are sent as-is. */
  contentType?: string;
  /** Extra response headers (Set-Cookie, Retry-After). */
  headers?: Record<string, string | string[]>;
}

/**
 * What the OpenAPI document says about a route; the same table drives routing and docs. Schemas
 * are any zod flavour (core types): the shared contracts are zod/mini so browsers get a small zod.
 */
export interface RouteDoc {
  summary: string;
  tag: string;
  query?: z.core.$ZodObject;
  body?: z.core.$ZodType;
  /** Status → schema (null = non-JSON or empty body). */
  responses: Record<number, z.core.$ZodType | null>;
}

export interface Route {
  method: Method;
  /** `/api/services/:name` style; params match one path segment. */
  path: string;
  permission: Permission;
  doc: RouteDoc;
  handle(ctx: RequestContext): Promise<Reply>;
}

interface Compiled extends Route {
  regex: RegExp;
  keys: string[];
}

const MAX_BODY = 64 * 1024;
const BODY_TIMEOUT_MS = 10_000;

/**
 * A small typed router that runs inside the custom server before Next. It answers only paths it
 * knows; everything else falls through (`false`) to Next.
 */
export class Router {
  readonly #routes: Compiled[];

  constructor(
    routes: Route[],
    private readonly authorize: Authorize,
    private readonly onError: (err: unknown, req: IncomingMessage) => void,
    /** Masks config secrets in every answer, errors included (the config's redactor). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {
    this.#routes = routes.map((r) => {
      const keys: string[] = [];
      const pattern = r.path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
        keys.push(key);
        return "([^/]+)";
      });
      return { ...r, regex: new RegExp(`^${pattern}/?$`), keys };
    });
  }

  get routes(): Route[] {
    return this.#routes;
  }

  /** Returns false when no route matches the path, so the caller hands the request to Next. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const onPath = this.#routes.filter((r) => r.regex.test(url.pathname));
    if (onPath.length === 0) return false;
    try {
      const route = onPath.find(
        (r) => r.method === req.method || (r.method === "GET" && req.method === "HEAD"),
      );
      if (!route) {
        res.setHeader("allow", [...new Set(onPath.map((r) => r.method))].join(", "));
        this.#send(res, 405, {
          error: { code: "bad_request", message: `use ${onPath.map((r) => r.method).join(" or ")}` },
        });
        return true;
      }
      const match = route.regex.exec(url.pathname);
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeParam(match?.[i + 1] ?? "", key);
      });
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const body = route.method === "POST" ? await readJson(req) : undefined;
      const auth = await this.authorize(req, {
        method: route.method,
        path: route.path,
        permission: route.permission,
        params,
        query,
        body,
      });
      if (!auth.ok) {
        this.#send(res, auth.status, { error: { code: auth.code, message: auth.message } });
        return true;
      }
      let reply: Reply;
      try {
        reply = await route.handle({ req, params, query, body, principal: auth.principal });
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 500;
        await auth.finish?.(status, err instanceof HttpError ? err.body() : null).catch(() => undefined);
        throw err;
      }
      await auth.finish?.(reply.status ?? 200, reply.body).catch(() => undefined);
      this.#send(res, reply.status ?? 200, reply.body, reply.contentType, reply.headers);
    } catch (err) {
      if (err instanceof HttpError) {
        // The body was not read to its end: this connection cannot carry another request.
        if (err.status === 413) res.setHeader("connection", "close");
        this.#send(res, err.status, err.body());
      } else {
        this.onError(err, req);
        this.#send(res, 500, { error: { code: "internal", message: "internal error; see the server log" } });
      }
    }
    return true;
  }

  #send(
    res: ServerResponse,
    status: number,
    body: unknown,
    contentType?: string,
    headers?: Record<string, string | string[]>,
  ): void {
    send(res, status, body, contentType, headers, this.redact);
  }
}

/** Bodies above this are gzipped for clients that accept it (a 1,000-service board is ~600 kB raw). */
const GZIP_OVER = 8 * 1024;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType: string | undefined,
  extra: Record<string, string | string[]> | undefined,
  redact: (text: string) => string,
): void {
  if (res.headersSent) return;
  const text = redact(typeof body === "string" && contentType ? body : JSON.stringify(body));
  let payload: Buffer = Buffer.from(text);
  const headers: Record<string, string | number> = {
    "content-type": contentType ?? "application/json; charset=utf-8",
    "cache-control": "no-store",
    vary: "accept-encoding",
  };
  const accepts = String(res.req?.headers["accept-encoding"] ?? "");
  if (payload.length > GZIP_OVER && /\bgzip\b/.test(accepts)) {
    payload = gzipSync(payload, { level: 5 });
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = payload.length;
  for (const [name, value] of Object.entries(extra ?? {})) res.setHeader(name, value);
  res.writeHead(status, headers);
  res.end(payload);
}

/**
 * Reads at most MAX_BODY bytes. A bigger body is refused with 413 and the JSON error, not a reset
 * (`connection: close` ends the connection after the answer).
 */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let body: string;
  try {
    body = await readBody(req, { maxBytes: MAX_BODY, timeoutMs: BODY_TIMEOUT_MS });
  } catch (err) {
    if (err instanceof BodyError)
      throw new HttpError(err.reason === "too_large" ? "too_large" : "bad_request", err.message);
    throw err;
  }
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError("bad_request", "request body is not valid JSON");
  }
}

function decodeParam(raw: string, key: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError("bad_request", `${key}: not valid percent-encoding`, key);
  }
}
