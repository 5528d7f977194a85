import { type Config, checkNames } from "@vigil/orchestrator";

/**
 * Check names as the engine assigns them (its own checkNames: configured name, else the kind;
 * repeats get "-2"...), so metrics and sparklines can know a check's kind and the primary check
 * before any result.
 */
export function checkKinds(config: Config): Map<string, { check: string; kind: string }[]> {
  const out = new Map<string, { check: string; kind: string }[]>();
  for (const [service, svc] of Object.entries(config.services)) {
    const names = checkNames(svc.checks);
    out.set(
      service,
      svc.checks.map((spec, i) => ({ check: names[i] ?? spec.kind, kind: spec.kind })),
    );
  }
  return out;
}
