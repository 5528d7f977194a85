import type { Metric } from "../types.ts";

/** A metric compared with its target: `below` (value < limit) or `atLeast` (value ≥ limit). */
export function metric(
  name: string,
  value: number,
  unit: string,
  target?: { below: number } | { atLeast: number },
): Metric {
  if (!target) return { name, value, unit };
  // A NaN (nothing measured) must not read as met.
  if ("below" in target)
    return {
      name,
      value,
      unit,
      target: `< ${target.below}`,
      met: Number.isFinite(value) && value < target.below,
    };
  return {
    name,
    value,
    unit,
    target: `≥ ${target.atLeast}`,
    met: Number.isFinite(value) && value >= target.atLeast,
  };
}
