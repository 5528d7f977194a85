import type { DependencyGraph } from "../graph/graph.ts";

/** Waves of what "start targets" touches: the targets and all they need, dependencies first. */
export function planStart(graph: DependencyGraph, targets?: string[]): string[][] {
  return (targets && targets.length > 0 ? graph.subgraph(targets) : graph).waves();
}

/** Waves of what "stop targets" touches: the targets and their dependents, dependents first. */
export function planStop(graph: DependencyGraph, targets?: string[]): string[][] {
  return (targets && targets.length > 0 ? graph.dependentsClosure(targets) : graph).stopWaves();
}

/** Restart: stop dependents-first, then start dependencies-first, over the same set. */
export function planRestart(
  graph: DependencyGraph,
  targets: string[],
  withDependents: boolean,
): { stop: string[][]; start: string[][] } {
  const closure = graph.dependentsClosure(targets);
  const keep = new Set(withDependents ? closure.names() : targets);
  const only = (waves: string[][]) =>
    waves.map((w) => w.filter((n) => keep.has(n))).filter((w) => w.length > 0);
  return { stop: only(closure.stopWaves()), start: only(closure.waves()) };
}
