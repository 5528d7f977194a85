import type { ServiceConfig } from "../config/schema.ts";

/** `completed`: the dependency ran to completion with exit code 0 (a one-shot job). */
export type DependencyCondition = "started" | "healthy" | "completed";

/** One declared dependency of a service. */
export interface Dependency {
  name: string;
  condition: DependencyCondition;
  /** Restarting the dependency restarts the dependent too (set only when true). */
  restart?: true;
}

/** An edge of the graph: `from` depends on `to`. */
export interface DependencyEdge {
  from: string;
  to: string;
  condition: DependencyCondition;
}

/** What the graph needs of a service: only its declared dependencies. */
export type GraphInput = Record<string, Pick<ServiceConfig, "depends_on">>;

/**
 * Both YAML forms into one list. The list form means "wait until healthy" because that is the
 * safe reading: starting against a dependency that is merely running is the bug Vigil exists to stop.
 */
export function normalizeDependsOn(dependsOn: ServiceConfig["depends_on"] | undefined): Dependency[] {
  if (dependsOn === undefined) return [];
  if (Array.isArray(dependsOn)) {
    const unique = [...new Set(dependsOn)];
    return unique.map((name) => ({ name, condition: "healthy" }));
  }
  return Object.entries(dependsOn).map(([name, spec]) => ({
    name,
    condition: spec.condition,
    ...(spec.restart === true ? { restart: true as const } : {}),
  }));
}

/** Declared dependencies of every service, by service name. */
export function dependencyMap(services: GraphInput): Map<string, Dependency[]> {
  const map = new Map<string, Dependency[]>();
  for (const [name, service] of Object.entries(services)) {
    map.set(name, normalizeDependsOn(service.depends_on));
  }
  return map;
}
