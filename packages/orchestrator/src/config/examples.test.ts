import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildGraph } from "../graph/index.ts";
import { loadConfig } from "./index.ts";

const examples = fileURLToPath(new URL("../../../../examples/", import.meta.url));

describe("examples/agent-stack", () => {
  it("loads and plans into waves", async () => {
    const { config } = await loadConfig({ path: `${examples}agent-stack/vigil.yaml`, environ: {} });
    const graph = buildGraph(config.services);
    expect(graph.waves()).toEqual([
      ["nats", "postgres", "redis"],
      ["core-api"],
      ["model-manager"],
      ["agent-planner", "agent-researcher", "agent-writer"],
    ]);
    expect(graph.subgraph(["agent-writer"]).names()).toEqual([
      "agent-writer",
      "core-api",
      "model-manager",
      "nats",
      "postgres",
      "redis",
    ]);
    expect(graph.dependents("model-manager")).toEqual(["agent-planner", "agent-researcher", "agent-writer"]);
  });

  it("types its services: groups, critical flags, absolute cwd, staged check", async () => {
    const { config, redactor } = await loadConfig({
      path: `${examples}agent-stack/vigil.yaml`,
      environ: { PGPASSWORD: "pg-secret", CORE_API_TOKEN: "tok-123" },
    });
    const groups = Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, s.group]));
    expect(groups).toMatchObject({ redis: "data", "core-api": "core", "agent-writer": "agents" });
    expect(config.services["core-api"]?.critical).toBe(true);
    expect(config.services["model-manager"]?.critical).toBe(true);
    const manager = config.services["model-manager"];
    if (manager?.kind !== "process") throw new Error("model-manager is a process");
    expect(manager.cwd).toBe(`${examples}agent-stack`);
    expect(manager.restart).toMatchObject({ policy: "on-failure", max_retries: 3 });
    const staged = manager.checks[0];
    expect(staged?.kind === "staged" && staged.stages.map((s) => s.name)).toEqual([
      "process started",
      "port listening",
      "API responsive",
      "model loaded",
    ]);
    const printed = JSON.stringify(redactor.redactConfig(config));
    expect(printed).not.toContain("pg-secret");
    expect(printed).not.toContain("tok-123");
  });
});

describe("examples/demo", () => {
  it("loads and plans into three waves", async () => {
    const { config } = await loadConfig({ cwd: `${examples}demo`, environ: {} });
    const graph = buildGraph(config.services);
    expect(graph.waves()).toEqual([
      ["config-store", "message-bus"],
      ["api-gateway", "search-index"],
      ["report-worker", "web-frontend"],
    ]);
    expect(graph.dependencies("report-worker")).toEqual([
      { name: "api-gateway", condition: "healthy" },
      { name: "search-index", condition: "started" },
    ]);
    expect(new Set(Object.values(config.services).map((s) => s.kind))).toEqual(new Set(["process"]));
    expect(new Set(Object.values(config.services).map((s) => s.group))).toEqual(
      new Set(["platform", "backend", "frontend"]),
    );
  });
});

describe("examples/compose-stack", () => {
  it("loads the compose file as it is, and inside vigil.yaml beside a process service", async () => {
    const compose = await loadConfig({ path: `${examples}compose-stack/docker-compose.yml`, environ: {} });
    expect(compose.config.project).toBe("compose-stack");
    expect(buildGraph(compose.config.services).waves()).toEqual([["db"], ["api"], ["worker"]]);
    expect(compose.warnings).toEqual([]);
    const debug = await loadConfig({
      path: `${examples}compose-stack/docker-compose.yml`,
      environ: { COMPOSE_PROFILES: "debug" },
    });
    expect(buildGraph(debug.config.services).waves()).toEqual([["db"], ["api", "debug"], ["worker"]]);
    const mixed = await loadConfig({ path: `${examples}compose-stack/vigil.yaml`, environ: {} });
    expect(buildGraph(mixed.config.services).waves()).toEqual([["db"], ["api"], ["reporter", "worker"]]);
    expect(mixed.config.services.api).toMatchObject({
      kind: "docker",
      group: "core",
      image: "compose-stack-api",
    });
  });
});
