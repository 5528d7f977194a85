import { resolve } from "node:path";
import { loadConfig } from "@vigil/orchestrator";
import { describe, expect, it } from "vitest";
import { withoutRestartPolicies } from "./engine.ts";

describe("observer engines", () => {
  it("never apply restart policies, and change nothing else", async () => {
    const root = resolve(import.meta.dirname, "../../..");
    const { config } = await loadConfig({ path: "examples/agent-stack/vigil.yaml", cwd: root, environ: {} });
    const observer = withoutRestartPolicies(config);
    for (const [name, service] of Object.entries(observer.services)) {
      expect(service.restart.policy, name).toBe("no");
      expect({ ...service, restart: undefined }).toEqual({ ...config.services[name], restart: undefined });
    }
    expect(config.services["agent-writer"]?.restart.policy).toBe("always");
  });
});
