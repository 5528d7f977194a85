import type Docker from "dockerode";
import type { HealthcheckSpec } from "../config/docker-fields.ts";

const NS_PER_MS = 1_000_000;

/**
 * The container's HEALTHCHECK from a compose-style healthcheck, so Docker's own health (and
 * `docker ps`) work beside Vigil's checks. A string test runs in the container's shell, as in
 * compose; `disable` or `["NONE"]` turns off one the image declares. Durations go in nanoseconds.
 * `start_interval` needs Docker Engine 25 (API 1.44); older engines ignore it.
 */
export function healthConfigOf(spec: HealthcheckSpec | undefined): Docker.HealthConfig | undefined {
  if (spec === undefined) return undefined;
  if (spec.disable) return { Test: ["NONE"] };
  const out: Docker.HealthConfig = {};
  if (spec.test !== undefined)
    out.Test = typeof spec.test === "string" ? ["CMD-SHELL", spec.test] : spec.test;
  if (spec.interval !== undefined) out.Interval = spec.interval * NS_PER_MS;
  if (spec.timeout !== undefined) out.Timeout = spec.timeout * NS_PER_MS;
  if (spec.start_period !== undefined) out.StartPeriod = spec.start_period * NS_PER_MS;
  if (spec.start_interval !== undefined) out.StartInterval = spec.start_interval * NS_PER_MS;
  if (spec.retries !== undefined) out.Retries = spec.retries;
  return out;
}
