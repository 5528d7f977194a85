import type Docker from "dockerode";
import type { HeartbeatSource } from "./push/heartbeats.ts";
import { type CheckSpec, probeFor } from "./registry.ts";
import { errorText, scrubPassword } from "./support/result.ts";
import { cleanValues } from "./support/values.ts";
import type { ProbeContext, ProbeResult } from "./types.ts";

export interface RunCheckOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  containerFor?: (service: string) => string | undefined;
  /** The Docker client of a service's engine (its `host:`). */
  dockerFor?: (service: string) => Docker;
  /** Owning service, so docker probes can default to its container. */
  service?: string;
  /** The check's name in its service (push checks). */
  check?: string;
  /** Pings of push checks, recorded by the web layer. */
  heartbeats?: HeartbeatSource;
}

/** Why a run was cut short: a timeout reads differently from a cancellation. */
class RunTimeout extends Error {}

/**
 * Runs one check once. Never throws and always settles by `timeoutMs`: a probe that ignores its
 * signal is abandoned (its late answer is dropped) rather than allowed to hold up the caller.
 */
export async function runCheck(spec: CheckSpec, opts: RunCheckOptions): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = Math.max(1, opts.timeoutMs);
  // One controller aborted by either the timeout or the caller: AbortSignal.any over the same two,
  // linked by hand so nothing stays registered on the caller's long-lived signal after the run.
  const timer = new AbortController();
  const signal = timer.signal;
  const handle = setTimeout(() => timer.abort(new RunTimeout(`timed out after ${timeoutMs}ms`)), timeoutMs);
  const cancel = () => timer.abort(opts.signal?.reason ?? new Error("cancelled"));
  if (opts.signal?.aborted) cancel();
  else opts.signal?.addEventListener("abort", cancel, { once: true });
  const elapsed = () => performance.now() - started;

  const ctx: ProbeContext = {
    signal,
    timeoutMs,
    runChild: (child, childSignal, childTimeout) => {
      const left = Math.max(1, Math.floor(timeoutMs - elapsed()));
      return runCheck(child, {
        ...opts,
        timeoutMs: Math.min(left, childTimeout ?? child.timeout ?? left),
        signal: childSignal,
      });
    },
  };
  if (opts.containerFor) ctx.containerFor = opts.containerFor;
  if (opts.dockerFor) ctx.dockerFor = opts.dockerFor;
  if (opts.service !== undefined) ctx.service = opts.service;
  if (opts.check !== undefined) ctx.check = opts.check;
  if (opts.heartbeats) ctx.heartbeats = opts.heartbeats;

  let result: ProbeResult;
  try {
    const probe = probeFor(spec.kind);
    result = await Promise.race([probe(spec, ctx), abortResult(signal)]);
  } catch (error) {
    result = { status: "unhealthy", latencyMs: 0, message: failureMessage(error, signal) };
  } finally {
    clearTimeout(handle);
    opts.signal?.removeEventListener("abort", cancel);
  }
  // Anything the probe left running (e.g. composite children no longer needed) is told to stop.
  if (!timer.signal.aborted) timer.abort(new Error("run finished"));
  const message = "url" in spec ? scrubPassword(result.message, spec.url) : result.message;
  // The engine's one choke point for values: whatever a probe put there, only clean numbers go on.
  const { values: raw, ...rest } = result;
  const values = cleanValues(raw);
  return {
    ...rest,
    message,
    latencyMs: Math.round(elapsed() * 10) / 10,
    ...(values === undefined ? {} : { values }),
  };
}

/** Settles with an unhealthy result as soon as the signal aborts. */
function abortResult(signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const settle = () =>
      resolve({ status: "unhealthy", latencyMs: 0, message: failureMessage(undefined, signal) });
    if (signal.aborted) settle();
    else signal.addEventListener("abort", settle, { once: true });
  });
}

function failureMessage(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof RunTimeout) return reason.message;
    return "cancelled";
  }
  return errorText(error);
}
