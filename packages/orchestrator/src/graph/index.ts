export type { Dependency, DependencyCondition, DependencyEdge, GraphInput } from "./dependencies.ts";
export { normalizeDependsOn } from "./dependencies.ts";
export { GraphError } from "./errors.ts";
export { buildGraph, DependencyGraph } from "./graph.ts";
export type { DependencyProblem } from "./problems.ts";
export { findCycles, findDependencyProblems } from "./problems.ts";
