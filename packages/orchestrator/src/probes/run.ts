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
 * The abort reason once a run has settled. One instance for every run: a fresh Error (and its stack)
 * per run was a measurable share of the per-check CPU at 1,000 checks/s, and nothing reads its stack.
 */
const RUN_FINISHED = new Error("run finished");

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
  // Whoever aborts also settles the run; no listener of our own on the run's signal.
  let cutShort: (result: ProbeResult) => void = () => {};
  const cut = new Promise<ProbeResult>((resolve) => {
    cutShort = resolve;
  });
  const stop = (reason: unknown) => {
    if (signal.aborted) return;
    timer.abort(reason);
    cutShort({ status: "unhealthy", latencyMs: 0, message: failureMessage(undefined, signal) });
  };
  const handle = setTimeout(() => stop(new RunTimeout(`timed out after ${timeoutMs}ms`)), timeoutMs);
  const cancel = () => stop(opts.signal?.reason ?? new Error("cancelled"));
  if (opts.signal?.aborted) cancel();
  else opts.signal?.addEventListener("abort", cancel, { once: true });

  const ctx: ProbeContext = {
    signal,
    timeoutMs,
    runChild: (child, childSignal, childTimeout) => {
      const left = Math.max(1, Math.floor(timeoutMs - (performance.now() - started)));
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
    result = await Promise.race([probe(spec, ctx), cut]);
  } catch (error) {
    result = { status: "unhealthy", latencyMs: 0, message: failureMessage(error, signal) };
  } finally {
    clearTimeout(handle);
    opts.signal?.removeEventListener("abort", cancel);
  }
  // Anything the probe left running (e.g. composite children no longer needed) is told to stop.
  if (!signal.aborted) timer.abort(RUN_FINISHED);
  const message = "url" in spec ? scrubPassword(result.message, spec.url) : result.message;
  // The engine's one choke point for values: whatever a probe put there, only clean numbers go on.
  const values = cleanValues(result.values);
  // A spread, not `{ values, ...rest }`: rest destructuring takes V8's slow generic path, once per run.
  const out: ProbeResult = {
    ...("values" in result ? withoutValues(result) : result),
    message,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
  };
  if (values !== undefined) out.values = values;
  return out;
}

function withoutValues(result: ProbeResult): Omit<ProbeResult, "values"> {
  const { values: _values, ...rest } = result;
  return rest;
}

function failureMessage(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof RunTimeout) return reason.message;
    return "cancelled";
  }
  return errorText(error);
}
