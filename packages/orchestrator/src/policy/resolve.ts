import type { CheckDefaultsSpec, CheckSpec } from "../config/schema.ts";

/** Every policy field of one check, after merging `defaults.check` with the check's own fields. */
export interface CheckPolicy {
  interval: number;
  timeout: number;
  retries: number;
  startPeriod: number;
  successThreshold: number;
  failureThreshold: number;
  /** Absent: the check never backs off. */
  circuit?: { failures: number; cooldown: number };
}

export function resolvePolicy(defaults: CheckDefaultsSpec, spec: CheckSpec): CheckPolicy {
  const policy: CheckPolicy = {
    interval: spec.interval ?? defaults.interval,
    timeout: spec.timeout ?? defaults.timeout,
    retries: spec.retries ?? defaults.retries,
    startPeriod: spec.start_period ?? defaults.start_period,
    successThreshold: spec.success_threshold ?? defaults.success_threshold,
    failureThreshold: spec.failure_threshold ?? defaults.failure_threshold,
  };
  if (spec.circuit_breaker) policy.circuit = { ...spec.circuit_breaker };
  return policy;
}
