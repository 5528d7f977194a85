import { describe, expect, it } from "vitest";
import { toYaml } from "./yaml.ts";

describe("toYaml", () => {
  it("writes nested maps and lists, quoting anything a YAML reader could misread", () => {
    const text = toYaml({
      project: "demo",
      services: {
        api: {
          command: ["node", "server.mjs"],
          env: { PORT: "8080", TOKEN: "***", NOTE: "a: b # c" },
          restart: { policy: "no" },
          checks: [{ kind: "http", url: "http://127.0.0.1:8080/health", json: [] }],
          secrets: [],
          critical: true,
        },
      },
    });
    expect(text).toBe(
      [
        "project: demo",
        "services:",
        "  api:",
        "    command:",
        "      - node",
        "      - server.mjs",
        "    env:",
        '      PORT: "8080"',
        '      TOKEN: "***"',
        '      NOTE: "a: b # c"',
        "    restart:",
        '      policy: "no"',
        "    checks:",
        "      - kind: http",
        "        url: http://127.0.0.1:8080/health",
        "        json: []",
        "    secrets: []",
        "    critical: true",
        "",
      ].join("\n"),
    );
  });

  it("writes scalars and empty documents", () => {
    expect(toYaml({})).toBe("{}\n");
    expect(toYaml(null)).toBe("null\n");
    expect(toYaml({ "odd key": 1 })).toBe('"odd key": 1\n');
  });
});
