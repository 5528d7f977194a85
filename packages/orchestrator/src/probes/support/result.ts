import type { ProbeStatus } from "../../status/model.ts";
import type { ProbeResult } from "../types.ts";

/**
 * A probe's verdict. Latency is filled in by runCheck, which measures the whole run, so probes
 * never have to time themselves (the http probe does only for max_latency).
 */
export function verdict(
  status: ProbeStatus,
  message: string,
  details?: Record<string, unknown>,
): ProbeResult {
  return details === undefined
    ? { status, latencyMs: 0, message }
    : { status, latencyMs: 0, message, details };
}

export const healthy = (message: string, details?: Record<string, unknown>): ProbeResult =>
  verdict("healthy", message, details);
export const unhealthy = (message: string, details?: Record<string, unknown>): ProbeResult =>
  verdict("unhealthy", message, details);

/** A result counts as passing when the target answers, even if degraded. */
export const passes = (status: ProbeStatus): boolean => status !== "unhealthy";

/** The text of any thrown value, for messages. */
export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const text = error.message || String(code ?? error.name);
    return typeof code === "string" && !text.includes(code) ? `${code}: ${text}` : text;
  }
  return String(error);
}

/**
 * A URL safe to print: user and password removed. Unparseable input is reduced to its scheme so a
 * malformed URL carrying a password still never reaches a message.
 */
export function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0];
    return scheme ? `${scheme}…` : "(invalid url)";
  }
}

/** Removes the password of `raw` from `text`, in case a driver echoes it back in an error. */
export function scrubPassword(text: string, raw: string): string {
  // A URL holds a password only before an "@": most check URLs have none, and parsing one per run
  // is a measurable cost at 1,000 checks/s.
  if (!raw.includes("@")) return text;
  try {
    const password = decodeURIComponent(new URL(raw).password);
    return password.length > 0 ? text.split(password).join("***") : text;
  } catch {
    return text;
  }
}

/** Rejects with the signal's reason once it aborts; used to stop awaiting a library that ignores signals. */
export function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}
