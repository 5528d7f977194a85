import * as z from "zod/mini";

/*
 * Check values on the wire: numbers a check measures besides latency (days to certificate expiry,
 * queue depth, round-trip time...), named by the check kind, each with its unit.
 */

/** The latest value of one check, as the board shows it. */
export const CheckValue = z.object({
  name: z.string(),
  /** Rounded to 0.001. */
  value: z.number(),
  /** "days", "ms", "%", "" for a plain count. */
  unit: z.string(),
});
export type CheckValue = z.infer<typeof CheckValue>;

/** One value of one check over the history range: min/avg/max per point (raw: one result each). */
export const ValueSeriesView = z.object({
  check: z.string(),
  name: z.string(),
  unit: z.string(),
  description: z.string(),
  points: z.array(
    z.object({ t: z.string(), count: z.number(), min: z.number(), avg: z.number(), max: z.number() }),
  ),
});
export type ValueSeriesView = z.infer<typeof ValueSeriesView>;
