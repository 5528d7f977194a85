import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfigText } from "./index.ts";

function messageOf(text: string): string {
  try {
    parseConfigText(text, "vigil.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("config loaded without error");
}

const service = (body: string) => `services:\n  redis: { kind: external }\n  api:\n${body}`;

describe("validation messages", () => {
  it("lists the allowed service kinds for an unknown kind", () => {
    expect(messageOf(service("    kind: proces\n    command: x\n"))).toBe(
      'Config error at vigil.yaml:4:11: services.api.kind: unknown service kind "proces" (did you mean "process"?); allowed kinds: process, docker, external',
    );
  });

  it("lists the allowed check kinds for an unknown or missing kind", () => {
    const text = service(
      "    kind: external\n    checks:\n      - kind: htp\n        url: http://x\n      - port: 1\n",
    );
    expect(messageOf(text)).toBe(
      [
        'Config error at vigil.yaml:6:15: services.api.checks[0].kind: unknown check kind "htp" (did you mean "http"?); allowed kinds: http, tcp, command, docker, postgres, redis, nats, composite, staged',
        "Config error at vigil.yaml:8:9: services.api.checks[1].kind: missing check kind (allowed kinds: http, tcp, command, docker, postgres, redis, nats, composite, staged)",
      ].join("\n"),
    );
  });

  it("explains problems inside nested checks with the keys of the kind meant", () => {
    const text = service(
      "    kind: external\n    checks:\n      - kind: staged\n        stages:\n          - name: up\n            check: { kind: tcp, prot: 80 }\n",
    );
    expect(messageOf(text)).toBe(
      [
        "Config error at vigil.yaml:9:13: services.api.checks[0].stages[0].check.port: required (expected number)",
        'Config error at vigil.yaml:9:33: services.api.checks[0].stages[0].check.prot: unknown key "prot" (did you mean "port"?)',
      ].join("\n"),
    );
  });

  it("suggests enum values and reports the map form of depends_on at the key", () => {
    const text = service(
      "    kind: process\n    command: x\n    depends_on:\n      reddis: { condition: helthy }\n",
    );
    expect(messageOf(text)).toBe(
      'Config error at vigil.yaml:7:28: services.api.depends_on.reddis.condition: invalid value "helthy" (did you mean "healthy"?); expected one of: started, healthy',
    );
    const valid = service(
      "    kind: process\n    command: x\n    depends_on:\n      reddis: { condition: started }\n",
    );
    expect(messageOf(valid)).toBe(
      'Config error at vigil.yaml:7:7: services.api.depends_on.reddis: unknown service "reddis" (did you mean "redis"?)',
    );
  });

  it("reports self-dependency at the entry", () => {
    expect(messageOf(service("    kind: process\n    command: x\n    depends_on: [redis, api]\n"))).toBe(
      'Config error at vigil.yaml:6:25: services.api.depends_on[1]: service "api" depends on itself',
    );
  });

  it("points a missing required field at its parent key", () => {
    expect(messageOf(service("    kind: process\n"))).toBe(
      "Config error at vigil.yaml:3:3: services.api.command: required (expected string or array)",
    );
  });

  it("stops alias bombs quickly", () => {
    const rows = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]"];
    for (const [from, to] of [
      ["a", "b"],
      ["b", "c"],
      ["c", "d"],
      ["d", "e"],
      ["e", "f"],
    ] as const) {
      rows.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(", ")}]`);
    }
    const started = Date.now();
    expect(messageOf(`${rows.join("\n")}\n`)).toBe(
      "Config error at vigil.yaml: more than 1000 alias expansions (nested aliases?)",
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("places an error written in an overlay at the overlay file", async () => {
    const dir = new URL("./fixtures/overlay/", import.meta.url).pathname;
    await expect(
      loadConfig({ path: join(dir, "vigil.yaml"), cwd: dir, env: "bad", environ: {} }),
    ).rejects.toThrow(
      'Config error at vigil.bad.yaml:5:5: services.api.restrat: unknown key "restrat" (did you mean "restart"?)',
    );
  });
});
