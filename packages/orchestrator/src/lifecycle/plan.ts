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
  const keep = withDependents ? closure.names() : restartLinked(graph, targets);
  return { stop: exactly(closure.stopWaves(), keep), start: exactly(closure.waves(), keep) };
}

/**
 * The targets plus the dependents that asked to follow their restarts (`depends_on: {x: {restart:
 * true}}`), transitively: compose restarts those with the dependency.
 */
function restartLinked(graph: DependencyGraph, targets: string[]): string[] {
  const linked = new Set(targets);
  const queue = [...targets];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const dependent of graph.dependents(name)) {
      const follows = graph.dependencies(dependent).some((d) => d.name === name && d.restart === true);
      if (follows && !linked.has(dependent)) {
        linked.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return [...linked];
}

/**
 * `waves` cut down to exactly `names`: what a node runs when another node's plan asks it to act
 * on its own services there (that plan has already ordered their dependencies and dependents).
 */
export function exactly(waves: string[][], names: readonly string[]): string[][] {
  const keep = new Set(names);
  return waves.map((w) => w.filter((n) => keep.has(n))).filter((w) => w.length > 0);
}
