/** What one probe run concluded. */
export type ProbeStatus = "healthy" | "degraded" | "unhealthy";

/**
 * A service's status as shown to people. `blocked` means the service itself passes its checks
 * (or cannot be judged) but a dependency is not healthy, so the root cause is shown once.
 */
export const SERVICE_STATUSES = [
  "healthy",
  "degraded",
  "unhealthy",
  "blocked",
  "starting",
  "stopped",
  "unknown",
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** Circuit breaker state of a check, visible in its results. */
export type CircuitState = "closed" | "open" | "half-open";
