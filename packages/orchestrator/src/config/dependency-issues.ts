import { type Dependency, dependencyMap } from "../graph/dependencies.ts";
import { findDependencyProblems } from "../graph/problems.ts";
import type { PathSegment } from "./errors.ts";
import { isPlainMap } from "./merge.ts";
import type { Config } from "./schema.ts";
import type { SchemaProblem } from "./zod-issues.ts";

/**
 * Unknown, self and cyclic dependencies as problems located at the offending `depends_on` entry:
 * `[i]` for the list form, the key for the map form.
 */
export function dependencyProblems(config: Config): SchemaProblem[] {
  return locateProblems(dependencyMap(config.services), (service) => config.services[service]?.depends_on);
}

/**
 * The same checks on a config that failed validation, so one run reports a misspelt dependency
 * together with the schema's problems instead of after they are fixed. Only well-formed
 * `depends_on` entries (a list of names, or a map keyed by name) are read; anything malformed
 * there is the schema's to report.
 */
export function rawDependencyProblems(root: unknown): SchemaProblem[] {
  const services = isPlainMap(root) && isPlainMap(root.services) ? root.services : {};
  const deps = new Map<string, Dependency[]>();
  const declared = new Map<string, unknown>();
  for (const [name, service] of Object.entries(services)) {
    const dependsOn = isPlainMap(service) ? service.depends_on : undefined;
    declared.set(name, dependsOn);
    const names = Array.isArray(dependsOn)
      ? dependsOn.filter((d): d is string => typeof d === "string")
      : isPlainMap(dependsOn)
        ? Object.keys(dependsOn)
        : [];
    deps.set(
      name,
      [...new Set(names)].map((dep) => ({ name: dep, condition: "healthy" })),
    );
  }
  return locateProblems(deps, (service) => declared.get(service));
}

function locateProblems(
  deps: ReadonlyMap<string, readonly Dependency[]>,
  dependsOnOf: (service: string) => unknown,
): SchemaProblem[] {
  return findDependencyProblems(deps).map((problem) => {
    const dependsOn = dependsOnOf(problem.service);
    const base: PathSegment[] = ["services", problem.service, "depends_on"];
    if (Array.isArray(dependsOn)) {
      return {
        path: [...base, dependsOn.indexOf(problem.dependency)],
        atKey: false,
        message: problem.message,
      };
    }
    return { path: [...base, problem.dependency], atKey: true, message: problem.message };
  });
}
