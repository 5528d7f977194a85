export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DELIVERY_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 5 * 60_000, factor: 2 };

/**
 * Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so many senders retrying one receiver spread out but never retry at once.
 * A receiver's Retry-After wins when it asks for longer.
 */
export function retryDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  const jittered = Math.round(base / 2 + (random() * base) / 2);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}
