import type { CheckDefaultsSpec, CheckSpec, ServiceConfig } from "../config/schema.ts";
import { normalizeDependsOn } from "../graph/dependencies.ts";
import { type CheckPolicy, resolvePolicy } from "../policy/resolve.ts";
import { type CheckState, initialState } from "../policy/state.ts";
import { checkNames } from "../probes/support/names.ts";
import type { ProbeResult } from "../probes/types.ts";
import type { ServiceStatus } from "../status/model.ts";
import type { ServiceSnapshot } from "../status/snapshot.ts";

/** One check of one service, with its policy state. */
export interface CheckEntry {
  /** Scheduler id: `service/check`. */
  id: string;
  service: string;
  name: string;
  spec: CheckSpec;
  policy: CheckPolicy;
  /** Identity for config reload: an unchanged key keeps state and schedule. */
  key: string;
  state: CheckState;
  last?: ProbeResult & { at: Date };
  /** Set by waitHealthy: the next run ignores an open circuit (a start must be able to succeed). */
  force: boolean;
}

export interface ServiceEntry {
  name: string;
  config: ServiceConfig;
  dependsOn: string[];
  checks: CheckEntry[];
  runtime: ServiceSnapshot["runtime"];
  activeAction?: ServiceSnapshot["activeAction"];
  status: ServiceStatus;
  reason: string;
  blockedBy: string[];
  since: Date;
}

export function buildChecks(
  service: string,
  config: ServiceConfig,
  defaults: CheckDefaultsSpec,
  now: number,
): CheckEntry[] {
  const names = checkNames(config.checks);
  return config.checks.map((spec, i) => {
    const name = names[i] ?? spec.kind;
    const policy = resolvePolicy(defaults, spec);
    return {
      id: `${service}/${name}`,
      service,
      name,
      spec,
      policy,
      key: JSON.stringify({ spec, policy }),
      state: initialState(now),
      force: false,
    };
  });
}

export function newService(
  name: string,
  config: ServiceConfig,
  checks: CheckEntry[],
  at: Date,
): ServiceEntry {
  return {
    name,
    config,
    dependsOn: normalizeDependsOn(config.depends_on).map((d) => d.name),
    checks,
    runtime:
      config.kind === "job"
        ? { state: "external", restarts: 0, job: { nextRun: null, running: 0 } }
        : { state: config.kind === "external" ? "external" : "unknown", restarts: 0 },
    status: "unknown",
    reason: checks.length === 0 ? "no checks" : "waiting for first check result",
    blockedBy: [],
    since: at,
  };
}
