import { didYouMean } from "../config/did-you-mean.ts";
import {
  type Dependency,
  type DependencyCondition,
  type DependencyEdge,
  dependencyMap,
  type GraphInput,
} from "./dependencies.ts";
import { renderDot } from "./dot.ts";
import { GraphError } from "./errors.ts";
import { findDependencyProblems } from "./problems.ts";

/**
 * An immutable, validated dependency graph. Everything is computed once at construction: graphs
 * are small (tens of services) and callers ask for order and waves repeatedly.
 */
export class DependencyGraph {
  readonly #deps: ReadonlyMap<string, readonly Dependency[]>;
  readonly #dependents: ReadonlyMap<string, readonly string[]>;
  readonly #order: readonly string[];
  readonly #waveOf: ReadonlyMap<string, number>;
  readonly #waves: readonly (readonly string[])[];

  /** Use buildGraph(); this trusts `deps` to be closed and acyclic. */
  private constructor(deps: ReadonlyMap<string, readonly Dependency[]>) {
    this.#deps = deps;
    const dependents = new Map<string, string[]>([...deps.keys()].map((name) => [name, []]));
    for (const [name, list] of deps) {
      for (const dep of list) dependents.get(dep.name)?.push(name);
    }
    for (const list of dependents.values()) list.sort();
    this.#dependents = dependents;
    this.#order = topologicalOrder(deps, dependents);
    this.#waveOf = waveNumbers(this.#order, deps);
    const waves: string[][] = [];
    for (const name of [...this.#order].sort()) {
      const index = this.#waveOf.get(name) ?? 0;
      const wave = waves[index] ?? [];
      wave.push(name);
      waves[index] = wave;
    }
    this.#waves = waves;
  }

  /** @internal Entry point for buildGraph and the subgraph methods, after validation. */
  static fromValidated(deps: ReadonlyMap<string, readonly Dependency[]>): DependencyGraph {
    return new DependencyGraph(deps);
  }

  /** Service names, sorted. */
  names(): string[] {
    return [...this.#deps.keys()].sort();
  }

  /** Topological order (dependencies first); among services ready at the same time, by name. */
  order(): string[] {
    return [...this.#order];
  }

  /** Startup waves: wave i holds the services whose dependencies all sit in earlier waves. */
  waves(): string[][] {
    return this.#waves.map((wave) => [...wave]);
  }

  /** Reverse of waves(): dependents stop before what they depend on. */
  stopWaves(): string[][] {
    return this.waves().reverse();
  }

  waveOf(name: string): number {
    const wave = this.#waveOf.get(this.#known(name));
    return wave ?? 0;
  }

  /** Direct dependencies of a service with the condition each one must reach first. */
  dependencies(name: string): { name: string; condition: DependencyCondition; restart?: true }[] {
    return (this.#deps.get(this.#known(name)) ?? []).map((dep) => ({ ...dep }));
  }

  /** Services that depend on `name` (directly, or also through others with transitive), sorted. */
  dependents(name: string, opts: { transitive?: boolean } = {}): string[] {
    const direct = this.#dependents.get(this.#known(name)) ?? [];
    if (!opts.transitive) return [...direct];
    const closure = this.#closure([name], (n) => this.#dependents.get(n) ?? []);
    closure.delete(name);
    return [...closure].sort();
  }

  /** The targets plus everything they transitively need: what "start X" has to start. */
  subgraph(targets: string[]): DependencyGraph {
    const keep = this.#closure(targets, (n) => (this.#deps.get(n) ?? []).map((d) => d.name));
    return this.#induced(keep);
  }

  /** The targets plus everything that transitively depends on them: what "restart X" touches. */
  dependentsClosure(targets: string[]): DependencyGraph {
    return this.#induced(this.#closure(targets, (n) => this.#dependents.get(n) ?? []));
  }

  /** Every edge, dependent → dependency, sorted by dependent then dependency. */
  edges(): { from: string; to: string; condition: DependencyCondition }[] {
    const edges: DependencyEdge[] = [];
    for (const from of this.names()) {
      for (const dep of this.#deps.get(from) ?? [])
        edges.push({ from, to: dep.name, condition: dep.condition });
    }
    return edges.sort((a, b) => (a.from === b.from ? compare(a.to, b.to) : compare(a.from, b.from)));
  }

  toDot(): string {
    return renderDot(this.waves(), this.edges());
  }

  #known(name: string): string {
    if (!this.#deps.has(name)) {
      throw new GraphError(`unknown service "${name}"${didYouMean(name, this.#deps.keys())}`);
    }
    return name;
  }

  #closure(start: string[], next: (name: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const pending = start.map((name) => this.#known(name));
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (seen.has(name)) continue;
      seen.add(name);
      pending.push(...next(name));
    }
    return seen;
  }

  /** The graph restricted to `keep`; edges leaving the set are dropped. */
  #induced(keep: Set<string>): DependencyGraph {
    const deps = new Map<string, Dependency[]>();
    for (const name of keep) {
      deps.set(
        name,
        (this.#deps.get(name) ?? []).filter((d) => keep.has(d.name)),
      );
    }
    return new DependencyGraph(deps);
  }
}

/**
 * Builds the graph of a set of services. Throws GraphError naming every unknown dependency,
 * self-dependency and cycle (`dependency cycle: a → b → c → a`) when given unvalidated input.
 */
export function buildGraph(services: GraphInput): DependencyGraph {
  const deps = dependencyMap(services);
  const problems = findDependencyProblems(deps);
  if (problems.length > 0) throw GraphError.fromProblems(problems);
  return DependencyGraph.fromValidated(deps);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Kahn's algorithm, always taking the smallest ready name so the order is stable across runs. */
function topologicalOrder(
  deps: ReadonlyMap<string, readonly Dependency[]>,
  dependents: ReadonlyMap<string, readonly string[]>,
): string[] {
  const remaining = new Map([...deps].map(([name, list]) => [name, list.length]));
  const ready = [...remaining].filter(([, count]) => count === 0).map(([name]) => name);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => compare(b, a));
    const name = ready.pop() as string;
    order.push(name);
    for (const dependent of dependents.get(name) ?? []) {
      const count = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, count);
      if (count === 0) ready.push(dependent);
    }
  }
  return order;
}

function waveNumbers(
  order: readonly string[],
  deps: ReadonlyMap<string, readonly Dependency[]>,
): Map<string, number> {
  const wave = new Map<string, number>();
  for (const name of order) {
    const depWaves = (deps.get(name) ?? []).map((d) => wave.get(d.name) ?? 0);
    wave.set(name, depWaves.length === 0 ? 0 : Math.max(...depWaves) + 1);
  }
  return wave;
}
