import type { ServiceDetail, ServiceView } from "../../lib/contract.ts";
import type { Principal } from "../auth/seam.ts";

/*
 * What one service's detail shows depends on who asks (issue 19, findings 3 and 4):
 * - a share-link visitor sees the service's name and kind only: no config (command, cwd, env,
 *   URLs), no live status, checks, dependents or logs — the history, events and incidents of the
 *   link's window come from their own routes, clamped to that window by the gate;
 * - env values go to admins only: viewers, operators and the anonymous wall display see the names
 *   with masked values (values may hold secrets no name rule recognises).
 */

export const MASKED = "***";

/** The detail a share link may see: identity, no state and no config. */
export function sharedDetail(view: ServiceView): ServiceDetail {
  return {
    service: {
      name: view.name,
      kind: view.kind,
      group: "",
      wave: 0,
      dependsOn: [],
      dependents: [],
      status: "unknown",
      reason: "",
      blockedBy: [],
      since: "",
      latencyMs: null,
      sparkline: [],
      uptime24h: null,
      restarts: 0,
      runtimeState: "",
      activeAction: null,
      checks: [],
    },
    config: {},
    allDependents: [],
    logLines: 0,
  };
}

/** True when the principal may read env values (admins; a server built without auth). */
export function seesEnvValues(principal: Principal | null): boolean {
  return (
    principal !== null &&
    (principal.kind === "open" || (principal.kind === "user" && principal.role === "admin"))
  );
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A copy of a (redacted) service config with every `env` map's values masked, at any depth. */
export function maskEnvValues(config: Record<string, unknown>): Record<string, unknown> {
  return walk(config, 0) as Record<string, unknown>;
}

function walk(value: unknown, depth: number): unknown {
  if (depth > 16) return MASKED;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] =
      key === "env" && isMap(entry)
        ? Object.fromEntries(Object.keys(entry).map((name) => [name, MASKED]))
        : walk(entry, depth + 1);
  }
  return out;
}
