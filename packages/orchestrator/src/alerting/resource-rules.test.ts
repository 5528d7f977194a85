import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.ts";
import { ResourceRuleSpec, ResourceRules } from "./resource-rules.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const groups = new Map([
  ["api", "web"],
  ["db", "data"],
]);
/** Memory at `percent` of a 1 GiB limit. */
const at = (percent: number) => ({ memoryBytes: (percent / 100) * GiB, memoryLimitBytes: GiB });

describe("resource alert rules (pure, fake time)", () => {
  it("fires once memory stays above 90 % of its limit for 5 minutes, then resolves once under", () => {
    const rules = new ResourceRules(
      [ResourceRuleSpec.parse({ name: "near-limit", memory_of_limit_above: 90 })],
      groups,
    );
    expect(rules.sample("api", 0, at(93))).toEqual([]);
    expect(rules.sample("api", 299_000, at(95))).toEqual([]);
    const fired = rules.sample("api", 300_000, at(94));
    expect(fired).toEqual([
      expect.objectContaining({
        event: "trigger",
        rule: "near-limit",
        service: "api",
        severity: "warning",
        since: 0,
        title: "api: memory 94 % of its 1 GiB limit for 5m (rule near-limit: above 90 % for 5m)",
      }),
    ]);
    expect(rules.sample("api", 305_000, at(96))).toEqual([]);
    expect(rules.sample("api", 310_000, at(50))).toEqual([
      expect.objectContaining({ event: "resolve", service: "api", since: 0 }),
    ]);
  });

  it("a dip under the threshold restarts the clock; no limit, no alert", () => {
    const rules = new ResourceRules(
      [ResourceRuleSpec.parse({ memory_of_limit_above: 90, for: "1m" })],
      groups,
    );
    rules.sample("api", 0, at(95));
    rules.sample("api", 50_000, at(80));
    expect(rules.sample("api", 70_000, at(95))).toEqual([]);
    expect(rules.sample("api", 129_000, at(95))).toEqual([]);
    expect(rules.sample("api", 130_000, at(95))).toHaveLength(1);
    expect(rules.sample("db", 0, { memoryBytes: 10 * GiB })).toEqual([]);
    expect(rules.sample("db", 600_000, { memoryBytes: 10 * GiB })).toEqual([]);
  });

  it("matches by service or group only", () => {
    const rules = new ResourceRules(
      [ResourceRuleSpec.parse({ memory_of_limit_above: 50, for: 0, groups: ["data"] })],
      groups,
    );
    expect(rules.sample("api", 0, at(99))).toEqual([]);
    expect(rules.sample("db", 0, at(99))).toEqual([
      expect.objectContaining({ event: "trigger", service: "db" }),
    ]);
  });

  it("is configured under alerting.resource_rules, unknown services named with their line", () => {
    const text = `services:
  api: { kind: process, command: "sleep 1", resources: { memory: 1GiB } }
alerting:
  resource_rules:
    - { memory_of_limit_above: 90, for: 5m, services: [apii] }
`;
    expect(() => parseConfigText(text, "vigil.yaml")).toThrow(
      'Config error at vigil.yaml:5:56: alerting.resource_rules[0].services[0]: unknown service "apii" (did you mean "api"?)',
    );
  });

  it("the README's resource rule example loads as written", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const block = /\*\*Alerting on resources\.\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain("resource_rules:");
    const text = `services:\n  api: { kind: process, command: "sleep 1", resources: { memory: 1GiB } }\n${block}`;
    const { config } = parseConfigText(text, "README.md");
    expect(config.alerting.resource_rules).toEqual([
      expect.objectContaining({ name: "near-limit", memory_of_limit_above: 90, for: 300_000 }),
    ]);
  });
});
