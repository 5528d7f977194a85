import { errorText } from "../../probes/support/result.ts";
import type { ChannelContext, DeliveryOutcome, SentRequest } from "../types.ts";

/** Response bodies are read up to this size and reported up to RESPONSE_SHOWN characters. */
const MAX_READ = 64 * 1024;
const RESPONSE_SHOWN = 500;

export interface HttpRequest {
  url: string;
  method?: "POST" | "PUT";
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request and classifies the answer. Never throws for a receiver's failure: timeouts,
 * connection errors, 5xx, 408 and 429 come back retryable (with Retry-After when given), other
 * 4xx and 3xx not. Redirects are not followed: a notification body (and its auth header) goes
 * only where it was configured to go.
 */
export async function sendHttp(
  request: HttpRequest,
  ctx: ChannelContext,
  /** For providers that put the retry delay in the body of a 429 (Telegram, Matrix) instead of a header. */
  retryAfterInBody?: (body: string) => number | undefined,
): Promise<DeliveryOutcome> {
  const method = request.method ?? "POST";
  const sent: SentRequest = { target: request.url, method, headers: request.headers, body: request.body };
  let response: Response;
  try {
    response = await fetch(request.url, {
      method,
      headers: request.headers,
      body: request.body,
      signal: ctx.signal,
      redirect: "manual",
    });
  } catch (error) {
    return failure(sent, error, ctx);
  }
  let text: string;
  try {
    text = await readCapped(response);
  } catch (error) {
    return failure(sent, error, ctx);
  }
  const outcome = classify(sent, response.status, response.headers.get("retry-after"), text);
  if (!outcome.ok && outcome.retryable && outcome.retryAfterMs === undefined && retryAfterInBody) {
    const fromBody = retryAfterInBody(text);
    if (fromBody !== undefined && Number.isFinite(fromBody) && fromBody >= 0) outcome.retryAfterMs = fromBody;
  }
  return outcome;
}

/** Reads a numeric field of a JSON body, or undefined when the body is not that JSON. */
export function jsonNumber(body: string, ...path: string[]): number | undefined {
  try {
    let value: unknown = JSON.parse(body);
    for (const key of path)
      value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === "number" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** POSTs (or PUTs) `payload` as JSON: the shape of nearly every provider API. */
export function postJson(
  url: string,
  payload: unknown,
  ctx: ChannelContext,
  options: {
    headers?: Record<string, string>;
    method?: "POST" | "PUT";
    retryAfterInBody?: (body: string) => number | undefined;
  } = {},
): Promise<DeliveryOutcome> {
  const headers = { "Content-Type": "application/json", ...options.headers };
  const request: HttpRequest = { url, headers, body: JSON.stringify(payload) };
  if (options.method) request.method = options.method;
  return sendHttp(request, ctx, options.retryAfterInBody);
}

/** The outcome for an HTTP status, shared with channels that read the status some other way. */
export function classify(
  sent: SentRequest,
  status: number,
  retryAfter: string | null,
  body: string,
): DeliveryOutcome {
  const response = truncate(body);
  if (status >= 200 && status < 300) return { ok: true, sent, status, response };
  const retryable = status === 408 || status === 429 || status >= 500;
  const outcome: DeliveryOutcome = {
    ok: false,
    sent,
    status,
    error: `HTTP ${status}${response ? `: ${response}` : ""}`,
    retryable,
  };
  const retryAfterMs = retryable ? parseRetryAfter(retryAfter) : undefined;
  if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
  return outcome;
}

/** A thrown fetch error as an outcome: an abort is the delivery timeout, a cause is the network. */
function failure(sent: SentRequest, error: unknown, ctx: ChannelContext): DeliveryOutcome {
  if (ctx.signal.aborted) {
    return { ok: false, sent, error: `timed out after ${ctx.timeoutMs}ms`, retryable: true };
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) {
    return { ok: false, sent, error: `connection failed: ${errorText(cause)}`, retryable: true };
  }
  // No cause: fetch refused the request itself (bad URL, bad header), which no retry will fix.
  return { ok: false, sent, error: `request rejected: ${errorText(error)}`, retryable: false };
}

/**
 * Retry-After as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 * A date in the past means "now" (0); anything unparseable is ignored.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  // RFC 9110 says whole seconds; Discord sends fractions ("1.5"): accept them, never below zero.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function truncate(text: string, max = RESPONSE_SHOWN): string {
  const trimmed = text.trim();
  return trimmed.length > max
    ? `${trimmed.slice(0, max)}… (${trimmed.length - max} more characters)`
    : trimmed;
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_READ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_READ).toString("utf8");
}
