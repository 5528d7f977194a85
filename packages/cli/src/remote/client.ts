import type { z } from "zod";
import { ErrorAnswer } from "./wire.ts";

/** A server this CLI talks to, and the credential it presents. */
export interface RemoteServer {
  url: string;
  /** undefined: no token found; the server will answer 401 and the CLI says how to log in. */
  token: string | undefined;
  /** How it was found, for messages: `--server`, VIGIL_SERVER, or the state directory. */
  source: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** A refusal or failure from the server, already worded for the user. */
export class ServerError extends Error {
  override readonly name = "RemoteError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function loginHint(server: RemoteServer): string {
  return `run \`vigil login --server ${server.url}\` or set VIGIL_TOKEN to an API token (create one under Account → API tokens)`;
}

/** One JSON request with the bearer token, a timeout and the caller's abort signal. */
export async function api<T>(
  server: RemoteServer,
  method: "GET" | "POST",
  path: string,
  schema: z.ZodType<T>,
  opts: { body?: unknown; signal?: AbortSignal | undefined; timeoutMs?: number } = {},
): Promise<T> {
  const signals = [
    AbortSignal.timeout(opts.timeoutMs ?? REQUEST_TIMEOUT_MS),
    ...(opts.signal ? [opts.signal] : []),
  ];
  const headers: Record<string, string> = { accept: "application/json" };
  if (server.token) headers.authorization = `Bearer ${server.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(new URL(path, server.url), {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    const why =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new ServerError(`cannot reach the Vigil server at ${server.url} (${server.source}): ${why}`, 0);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ServerError(
      `${method} ${path}: the server answered ${res.status} with a non-JSON body`,
      res.status,
    );
  }
  if (!res.ok) {
    const parsed = ErrorAnswer.safeParse(json);
    const message = parsed.success ? parsed.data.error.message : `HTTP ${res.status}`;
    if (res.status === 401) {
      const why = server.token ? "the token was refused (unknown, expired or revoked)" : "no API token";
      throw new ServerError(`not signed in to ${server.url}: ${why}; ${loginHint(server)}`, 401);
    }
    if (res.status === 403)
      throw new ServerError(`${server.url} refused: ${message} (the token's scope is too low?)`, 403);
    throw new ServerError(`${server.url}: ${message}`, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ServerError(`${method} ${path}: unexpected answer from ${server.url}`, res.status);
  return parsed.data;
}
