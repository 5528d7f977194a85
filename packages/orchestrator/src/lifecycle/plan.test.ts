import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema.ts";
import { buildGraph } from "../graph/graph.ts";
import { planRestart } from "./plan.ts";

const graphOf = (services: Record<string, unknown>) => buildGraph(ConfigSchema.parse({ services }).services);
const ext = (depends_on: unknown = []) => ({ kind: "external", depends_on });

describe("planRestart", () => {
  it("takes along the dependents that follow the target's restarts (depends_on restart: true), transitively", () => {
    const graph = graphOf({
      db: ext(),
      api: ext({ db: { condition: "healthy", restart: true } }),
      worker: ext({ api: { condition: "started", restart: true } }),
      report: ext({ db: { condition: "started" } }),
    });
    expect(planRestart(graph, ["db"], false)).toEqual({
      stop: [["worker"], ["api"], ["db"]],
      start: [["db"], ["api"], ["worker"]],
    });
    expect(planRestart(graph, ["api"], false).start).toEqual([["api"], ["worker"]]);
    expect(planRestart(graph, ["db"], true).start).toEqual([["db"], ["api", "report"], ["worker"]]);
  });
});
