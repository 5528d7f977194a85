import type { Config } from "@vigil/orchestrator";

/**
 * Check names as the engine assigns them (configured name, else the kind; repeats get "-2"...),
 * so metrics and sparklines can know a check's kind and the primary check before any result.
 */
export function checkKinds(config: Config): Map<string, { check: string; kind: string }[]> {
  const out = new Map<string, { check: string; kind: string }[]>();
  for (const [service, svc] of Object.entries(config.services)) {
    const used = new Set<string>();
    out.set(
      service,
      svc.checks.map((spec) => {
        const base = spec.name ?? spec.kind;
        let name = base;
        for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
        used.add(name);
        return { check: name, kind: spec.kind };
      }),
    );
  }
  return out;
}
