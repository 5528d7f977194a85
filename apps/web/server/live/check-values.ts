import { type Config, valuesOf } from "@vigil/orchestrator";
import type { CheckValue, ValueSeriesView } from "../../lib/contract.ts";
import { checkKinds } from "./check-names.ts";
import { RESOURCE_CHECK, resourceInfo } from "./resources.ts";

/** Values to 0.001: a board tile shows a few digits, and the packed snapshot carries thousandths. */
export const roundValue = (n: number): number => Math.round(n * 1000) / 1000;

/** A result's values as the board shows them, with the unit the kind declares; undefined when none. */
export function checkValues(
  kind: string,
  values: Record<string, number> | undefined,
): CheckValue[] | undefined {
  if (values === undefined) return undefined;
  const info = valuesOf(kind);
  const out = Object.entries(values)
    .filter(([, v]) => Number.isFinite(v))
    .map(([name, v]) => ({ name, value: roundValue(v), unit: info[name]?.unit ?? "" }));
  return out.length > 0 ? out : undefined;
}

/** What a value of a kind means (unit, description), "" for a value the kind does not declare. */
export function valueInfo(kind: string | undefined, name: string): { unit: string; description: string } {
  const info = kind === undefined ? undefined : valuesOf(kind)[name];
  return info ?? { unit: "", description: "" };
}

/**
 * service → check → kind, rebuilt only when the config object changes (a reload), so looking up
 * the kind of a result's check costs a map read, not a walk over every service.
 */
export class CheckKindIndex {
  #config: Config | undefined;
  #kinds = new Map<string, Map<string, string>>();

  kindOf(config: Config, service: string, check: string): string | undefined {
    if (config !== this.#config) {
      this.#config = config;
      this.#kinds = new Map(
        [...checkKinds(config)].map(([name, checks]) => [
          name,
          new Map(checks.map((c) => [c.check, c.kind])),
        ]),
      );
    }
    return this.#kinds.get(service)?.get(check);
  }
}

/** Stored value series with the unit and description their check's kind declares. */
export function withUnits(
  config: Config,
  service: string,
  series: readonly Omit<ValueSeriesView, "unit" | "description">[],
): ValueSeriesView[] {
  if (series.length === 0) return [];
  const kinds = new CheckKindIndex();
  return series.map((s) => ({
    ...s,
    ...(s.check === RESOURCE_CHECK
      ? resourceInfo(s.name)
      : valueInfo(kinds.kindOf(config, service, s.check), s.name)),
  }));
}
