import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfigText } from "./index.ts";
import { CHECK_KINDS } from "./schema.ts";

function messageOf(text: string): string {
  try {
    parseConfigText(text, "vigil.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("config loaded without error");
}

/** The registry's kinds in its order: the list every kind error names. */
const KINDS = CHECK_KINDS.join(", ");

const service = (body: string) => `services:\n  redis: { kind: external }\n  api:\n${body}`;

describe("validation messages", () => {
  it("lists the allowed service kinds for an unknown kind", () => {
    expect(messageOf(service("    kind: proces\n    command: x\n"))).toBe(
      'Config error at vigil.yaml:4:11: services.api.kind: unknown service kind "proces" (did you mean "process"?); allowed kinds: process, docker, external, job',
    );
  });

  it("lists the allowed check kinds for an unknown or missing kind", () => {
    const text = service(
      "    kind: external\n    checks:\n      - kind: htp\n        url: http://x\n      - port: 1\n",
    );
    // The list is the registry's, in its order; each kinds branch adds its own.
    expect(KINDS).toMatch(/^http, tcp, command, docker, postgres, redis, nats, .*composite, staged$/);
    expect(messageOf(text)).toBe(
      [
        `Config error at vigil.yaml:6:15: services.api.checks[0].kind: unknown check kind "htp" (did you mean "http"?); allowed kinds: ${KINDS}`,
        `Config error at vigil.yaml:8:9: services.api.checks[1].kind: missing check kind (allowed kinds: ${KINDS})`,
      ].join("\n"),
    );
  });

  it("reports a bad value condition or an unknown value name at its line and column", () => {
    const text = service(
      '    kind: external\n    checks:\n      - kind: postgres\n        url: postgres://db/x\n        expect: { value: "at least 3" }\n      - kind: docker\n        expect:\n          restart: "< 3"\n',
    );
    expect(messageOf(text)).toBe(
      [
        'Config error at vigil.yaml:8:26: services.api.checks[0].expect.value: invalid condition "at least 3": use a comparison like ">= 14" (operators <, <=, >, >=, ==, !=)',
        'Config error at vigil.yaml:11:11: services.api.checks[1].expect.restart: unknown key "restart" (did you mean "restarts"?)',
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
    // Both mistakes at once (issue 19): the bad condition and the unknown service it names.
    expect(messageOf(text)).toBe(
      [
        'Config error at vigil.yaml:7:7: services.api.depends_on.reddis: unknown service "reddis" (did you mean "redis"?)',
        'Config error at vigil.yaml:7:28: services.api.depends_on.reddis.condition: invalid value "helthy" (did you mean "healthy"?); expected one of: started, healthy, completed',
      ].join("\n"),
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

describe("node: (the cluster instance that runs a process service)", () => {
  it("is read on a process service", () => {
    const { config } = parseConfigText(
      "services:\n  worker:\n    kind: process\n    command: sleep 1\n    node: node-b\n",
      "vigil.yaml",
    );
    expect(config.services.worker).toMatchObject({ kind: "process", node: "node-b" });
  });

  it("on any other kind is an error at its key that says where it belongs", () => {
    const text = [
      "services:",
      "  web:",
      "    kind: docker",
      "    image: nginx",
      "    node: node-b",
      "  db:",
      "    kind: external",
      "    node: node-a",
      "",
    ].join("\n");
    expect(messageOf(text)).toBe(
      [
        'Config error at vigil.yaml:5:5: services.web.node: "node" applies only to process services, not to a docker service',
        'Config error at vigil.yaml:8:5: services.db.node: "node" applies only to process services, not to an external service',
      ].join("\n"),
    );
  });

  it("must be a name", () => {
    expect(messageOf("services:\n  w:\n    kind: process\n    command: x\n    node: 'a b'\n")).toMatch(
      /^Config error at vigil\.yaml:5:11: services\.w\.node: use letters, digits/,
    );
  });

  it("names every kind a misplaced key belongs to, for services and checks alike", () => {
    const text = "services:\n  a:\n    kind: process\n    command: x\n    image: nginx\n";
    expect(messageOf(text)).toBe(
      'Config error at vigil.yaml:5:5: services.a.image: "image" applies only to docker and job services, not to a process service',
    );
    const check =
      "services:\n  a:\n    kind: external\n    checks:\n      - { kind: tcp, port: 1, method: GET }\n";
    expect(messageOf(check)).toMatch(
      /services\.a\.checks\[0\]\.method: "method" applies only to http .*checks, not to a tcp check$/,
    );
  });

  it("a key no kind takes stays an unknown key with a suggestion", () => {
    expect(messageOf("services:\n  w:\n    kind: process\n    command: x\n    nodes: a\n")).toBe(
      'Config error at vigil.yaml:5:5: services.w.nodes: unknown key "nodes" (did you mean "node"?)',
    );
  });
});
