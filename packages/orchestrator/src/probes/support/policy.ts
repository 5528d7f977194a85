import { z } from "zod";
import { duration } from "../../config/duration.ts";

/**
 * Policy fields every check may set, whatever its kind; unset ones take `defaults.check` values.
 * Each kind spreads them into its own schema (`...checkPolicy`), so they are declared once.
 */
export const checkPolicy = {
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]+$/, "use letters, digits, '_', '.', '-'")
    .optional()
    .describe("Check name shown on the board; defaults to the kind (repeats get -2, -3...)."),
  interval: duration.optional().describe("Time between runs, e.g. 10s (defaults.check.interval)."),
  timeout: duration.optional().describe("A run slower than this fails, e.g. 5s (defaults.check.timeout)."),
  retries: z.number().int().min(0).max(10).optional().describe("Immediate re-runs before a failure counts."),
  start_period: duration
    .optional()
    .describe("Failures during this time after a start do not count against the service."),
  success_threshold: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("Consecutive passes before the check reads healthy."),
  failure_threshold: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("Consecutive failures before the check reads unhealthy."),
  circuit_breaker: z
    .strictObject({
      /** Consecutive failures that open the circuit. */
      failures: z.number().int().min(1).default(10).describe("Consecutive failures that open the circuit."),
      /** How long an open circuit waits before a half-open trial run. */
      cooldown: duration.default(60_000).describe("How long an open circuit waits before a trial run."),
    })
    .optional()
    .describe("Stop probing a target that keeps failing, then retry after a cooldown."),
};

/** The policy fields after parsing, for kinds whose spec type is written by hand (the recursive ones). */
export type PolicyFields = {
  name?: string | undefined;
  interval?: number | undefined;
  timeout?: number | undefined;
  retries?: number | undefined;
  start_period?: number | undefined;
  success_threshold?: number | undefined;
  failure_threshold?: number | undefined;
  circuit_breaker?: { failures: number; cooldown: number } | undefined;
};
