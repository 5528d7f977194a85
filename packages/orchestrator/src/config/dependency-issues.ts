import { dependencyMap } from "../graph/dependencies.ts";
import { findDependencyProblems } from "../graph/problems.ts";
import type { PathSegment } from "./errors.ts";
import type { Config } from "./schema.ts";
import type { SchemaProblem } from "./zod-issues.ts";

/**
 * Unknown, self and cyclic dependencies as problems located at the offending `depends_on` entry:
 * `[i]` for the list form, the key for the map form.
 */
export function dependencyProblems(config: Config): SchemaProblem[] {
  return findDependencyProblems(dependencyMap(config.services)).map((problem) => {
    const dependsOn = config.services[problem.service]?.depends_on;
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
