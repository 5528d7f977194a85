import { didYouMean } from "../config/did-you-mean.ts";
import type { Dependency } from "./dependencies.ts";

/** Something that makes a set of services impossible to order. */
export interface DependencyProblem {
  kind: "unknown" | "self" | "cycle";
  /** The service whose `depends_on` entry is at fault. */
  service: string;
  /** The entry in that service's `depends_on`. */
  dependency: string;
  message: string;
  /** For cycles: the path, first name repeated at the end. */
  cycle?: string[];
}

/**
 * All unknown, self and cyclic dependencies, in a stable order. Shared by the config loader
 * (which turns them into positioned errors) and the graph (which refuses to build with them).
 */
export function findDependencyProblems(
  deps: ReadonlyMap<string, readonly Dependency[]>,
): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  const names = [...deps.keys()].sort();
  for (const service of names) {
    for (const { name } of deps.get(service) ?? []) {
      if (name === service) {
        problems.push({
          kind: "self",
          service,
          dependency: name,
          message: `service "${service}" depends on itself`,
        });
      } else if (!deps.has(name)) {
        const hint = didYouMean(name, names);
        problems.push({
          kind: "unknown",
          service,
          dependency: name,
          message: `unknown service "${name}"${hint}`,
        });
      }
    }
  }
  for (const cycle of findCycles(deps)) {
    const [service, dependency] = cycle as [string, string];
    problems.push({
      kind: "cycle",
      service,
      dependency,
      cycle,
      message: `dependency cycle: ${cycle.join(" → ")}`,
    });
  }
  return problems;
}

/**
 * Every distinct cycle reachable by depth-first search, each rotated to start at its smallest
 * name so the same cycle always prints the same way. Self and unknown edges are ignored here:
 * they are reported on their own.
 */
export function findCycles(deps: ReadonlyMap<string, readonly Dependency[]>): string[][] {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];

  const visit = (name: string): void => {
    state.set(name, "visiting");
    stack.push(name);
    const next = (deps.get(name) ?? []).map((d) => d.name).filter((d) => d !== name && deps.has(d));
    for (const dep of [...next].sort()) {
      const depState = state.get(dep);
      if (depState === "visiting") {
        const loop = stack.slice(stack.indexOf(dep));
        const rotated = rotateToSmallest(loop);
        const key = rotated.join("\u0000");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...rotated, rotated[0] as string]);
        }
      } else if (depState === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(name, "done");
  };

  for (const name of [...deps.keys()].sort()) {
    if (!state.has(name)) visit(name);
  }
  return cycles;
}

function rotateToSmallest(loop: string[]): string[] {
  const smallest = [...loop].sort()[0];
  const at = smallest === undefined ? 0 : loop.indexOf(smallest);
  return [...loop.slice(at), ...loop.slice(0, at)];
}
