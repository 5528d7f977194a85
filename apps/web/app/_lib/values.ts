import type { CheckValue, ServiceView, ValueSeriesView } from "../../lib/contract";
import { formatBytes } from "./time";

/** Series the runner measured (CPU, memory...), stored under this check name by the server. */
export const isResourceSeries = (s: Pick<ValueSeriesView, "check">): boolean => s.check === "@resources";

/** "days_remaining" → "days remaining". */
export const valueLabel = (name: string): string => name.replaceAll("_", " ");

/** 12.4 days, 3, 0.42 ms: at most 3 significant decimals, the unit after a space (none for counts). */
export function formatValue(value: number, unit: string): string {
  if (unit === "bytes") return formatBytes(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = Number(value.toFixed(digits)).toLocaleString("en-US");
  return unit === "" ? text : unit === "%" ? `${text}%` : `${text} ${unit}`;
}

/** The values a tile shows: those of the service's checks in check order, at most `max`. */
export function tileValues(s: ServiceView, max = 2): (CheckValue & { check: string })[] {
  const out: (CheckValue & { check: string })[] = [];
  for (const check of s.checks) {
    for (const v of check.values ?? []) {
      if (out.length >= max) return out;
      out.push({ ...v, check: check.name });
    }
  }
  return out;
}
