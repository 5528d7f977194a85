import type { EngineEvent, ProbeResult } from "@vigil/orchestrator";
import type { EnginePort } from "./ports.ts";

/*
 * Config secrets must not leave the process: engine events (probe messages quote URLs, services
 * print their env) and snapshots pass through the config's redactor before anything stores,
 * pushes or serves them. Only strings inside plain objects and arrays are rewritten; Dates and
 * other instances are kept as they are.
 */

export function deepRedact<T>(value: T, redact: (text: string) => string): T {
  return walk(value, redact, 0) as T;
}

function walk(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 12 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, redact, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, redact, depth + 1);
  return out;
}

/**
 * An engine event with its secrets masked. A check result, one for every probe run, is rewritten
 * where free text can be: its message, details and stage. Its names (config keys) and the engine's
 * own words (type, status, circuit, state) are not secret values, and a resource sample is numbers,
 * so neither costs a regular-expression pass per field. Every other event is redacted whole.
 */
export function redactEvent(event: EngineEvent, redact: (text: string) => string): EngineEvent {
  if (event.type === "service.resources") return event;
  if (event.type !== "check.result") return deepRedact(event, redact);
  const { details, stage } = event.result;
  const result: ProbeResult = { ...event.result, message: redact(event.result.message) };
  if (details !== undefined) result.details = deepRedact(details, redact);
  if (stage !== undefined) result.stage = deepRedact(stage, redact);
  return { ...event, result };
}

/** The engine with its snapshots redacted; everything else passes through. */
export function redactingEngine(engine: EnginePort, redact: (text: string) => string): EnginePort {
  return {
    get ready() {
      return engine.ready;
    },
    run: (kind, targets, opts) => engine.run(kind, targets, opts),
    cancel: (id) => engine.cancel(id),
    snapshot: () => deepRedact(engine.snapshot(), redact),
    graph: () => engine.graph(),
    reload: (config) => engine.reload(config),
    close: (opts) => engine.close(opts),
    ...(engine.jobs ? { jobs: engine.jobs } : {}),
    ...(engine.rebalance ? { rebalance: () => engine.rebalance?.() ?? Promise.resolve() } : {}),
    ...(engine.applyRemoteResult ? { applyRemoteResult: (r) => engine.applyRemoteResult?.(r) } : {}),
  };
}
