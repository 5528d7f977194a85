/** What one probe run concluded. */
export type ProbeStatus = "healthy" | "degraded" | "unhealthy";

/**
 * A service's status as shown to people. `blocked` means the service itself passes its checks
 * (or cannot be judged) but a dependency is not healthy, so the root cause is shown once.
 * `host-unreachable`: the Docker engine the service runs on does not answer, so nothing about the
 * container is known — not "crashed", and nothing is restarted because of it.
 */
export const SERVICE_STATUSES = [
  "healthy",
  "degraded",
  "unhealthy",
  "blocked",
  "host-unreachable",
  "starting",
  "stopped",
  "unknown",
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** The name a Docker host goes by in statuses, metrics and alerts ("local": the default engine). */
export const hostLabel = (host: string | undefined): string => host ?? "local";

/** Circuit breaker state of a check, visible in its results. */
export type CircuitState = "closed" | "open" | "half-open";
