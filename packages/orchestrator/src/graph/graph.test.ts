import { describe, expect, it } from "vitest";
import { buildGraph, GraphError } from "./index.ts";

type Deps = string[] | Record<string, { condition: "started" | "healthy" }>;
const services = (spec: Record<string, Deps>) =>
  Object.fromEntries(Object.entries(spec).map(([name, depends_on]) => [name, { depends_on }]));

// db, cache ← api ← worker, web; web also waits for cache only to be started.
const stack = services({
  web: { api: { condition: "healthy" }, cache: { condition: "started" } },
  worker: ["api"],
  api: ["db", "cache"],
  db: [],
  cache: [],
  docs: [],
});

describe("buildGraph", () => {
  const graph = buildGraph(stack);

  it("orders dependencies first, ties by name", () => {
    expect(graph.names()).toEqual(["api", "cache", "db", "docs", "web", "worker"]);
    expect(graph.order()).toEqual(["cache", "db", "api", "docs", "web", "worker"]);
  });

  it("groups services into sorted waves and reverses them for stop", () => {
    expect(graph.waves()).toEqual([["cache", "db", "docs"], ["api"], ["web", "worker"]]);
    expect(graph.stopWaves()).toEqual([["web", "worker"], ["api"], ["cache", "db", "docs"]]);
    expect(graph.waveOf("api")).toBe(1);
    expect(graph.waveOf("worker")).toBe(2);
  });

  it("normalises the list form to healthy and keeps map conditions", () => {
    expect(graph.dependencies("api")).toEqual([
      { name: "db", condition: "healthy" },
      { name: "cache", condition: "healthy" },
    ]);
    expect(graph.dependencies("web")).toEqual([
      { name: "api", condition: "healthy" },
      { name: "cache", condition: "started" },
    ]);
    expect(graph.edges()).toContainEqual({ from: "web", to: "cache", condition: "started" });
    expect(graph.edges()).toHaveLength(5);
  });

  it("lists direct and transitive dependents", () => {
    expect(graph.dependents("api")).toEqual(["web", "worker"]);
    expect(graph.dependents("cache")).toEqual(["api", "web"]);
    expect(graph.dependents("db", { transitive: true })).toEqual(["api", "web", "worker"]);
    expect(graph.dependents("docs", { transitive: true })).toEqual([]);
  });

  it("cuts the subgraph a start needs", () => {
    const sub = graph.subgraph(["worker"]);
    expect(sub.names()).toEqual(["api", "cache", "db", "worker"]);
    expect(sub.waves()).toEqual([["cache", "db"], ["api"], ["worker"]]);
  });

  it("cuts the dependents closure a restart touches", () => {
    const closure = graph.dependentsClosure(["api"]);
    expect(closure.names()).toEqual(["api", "web", "worker"]);
    expect(closure.waves()).toEqual([["api"], ["web", "worker"]]);
    expect(closure.stopWaves()).toEqual([["web", "worker"], ["api"]]);
    expect(closure.dependencies("web")).toEqual([{ name: "api", condition: "healthy" }]);
  });

  it("renders Graphviz source", () => {
    const dot = graph.toDot();
    expect(dot).toContain('"web" -> "cache" [label="started", style=dashed];');
    expect(dot).toContain('"api" -> "db" [label="healthy"];');
    expect(dot.startsWith("digraph vigil {")).toBe(true);
  });

  it("rejects unknown names with a suggestion", () => {
    expect(() => graph.subgraph(["wrker"])).toThrow('unknown service "wrker" (did you mean "worker"?)');
    expect(() => graph.waveOf("nope")).toThrow(GraphError);
  });

  it("handles an empty set of services", () => {
    const empty = buildGraph({});
    expect(empty.order()).toEqual([]);
    expect(empty.waves()).toEqual([]);
  });
});

describe("buildGraph on invalid input", () => {
  it("names the cycle path, starting from its smallest name", () => {
    const cyclic = services({ c: ["a"], b: ["c"], a: ["b"], d: ["a"] });
    expect(() => buildGraph(cyclic)).toThrow("services.a.depends_on: dependency cycle: a → b → c → a");
  });

  it("reports self and unknown dependencies", () => {
    try {
      buildGraph(services({ api: ["api", "reddis"], redis: [] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphError);
      expect((error as GraphError).message).toBe(
        [
          'services.api.depends_on: service "api" depends on itself',
          'services.api.depends_on: unknown service "reddis" (did you mean "redis"?)',
        ].join("\n"),
      );
      expect((error as GraphError).problems.map((p) => p.kind)).toEqual(["self", "unknown"]);
    }
  });
});
