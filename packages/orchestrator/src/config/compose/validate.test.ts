import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { loadCompose } from "./index.ts";

function composeFile(text: string, name = "compose.yaml"): string {
  const file = join(mkdtempSync(join(tmpdir(), "vigil-compose-spec-")), name);
  writeFileSync(file, text);
  return file;
}

const load = (text: string) =>
  loadCompose([composeFile(text)], { environ: {}, display: () => "compose.yaml" });

function issuesOf(text: string): ConfigError["issues"] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("the file loaded");
}

describe("compose files against the Compose Specification schema (issue 15)", () => {
  it("refuses what the spec refuses, naming file:line:col and the key path of each mistake", () => {
    const issues = issuesOf(
      [
        "services:",
        "  api:",
        "    image: api",
        "    command: 5",
        "    build: { contxt: . }",
        "    healthcheck:",
        "      retries: many",
        "    depends_on: { db: { condition: started } }",
        "  db:",
        "    image: db",
        "volumes:",
        "  data: { driver_opts: { type: [nfs] } }",
        "servics: {}",
      ].join("\n"),
    );
    expect(issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`)).toEqual([
      "compose.yaml:4:5 services.api.command: must be string or array",
      'compose.yaml:5:14 services.api.build.contxt: "contxt" is not a compose key here',
      "compose.yaml:7:7 services.api.healthcheck.retries: must be number",
      'compose.yaml:8:25 services.api.depends_on.db.condition: must be one of "service_started", "service_healthy", "service_completed_successfully"',
      "compose.yaml:12:26 volumes.data.driver_opts.type: must be string or number",
      'compose.yaml:13:1 servics: "servics" is not a compose key here',
    ]);
  });

  it("accepts what the spec gained after the vendored schema: name, include, start_interval, depends_on required/restart, env_file path", () => {
    const { services, warnings } = load(
      [
        "name: shop",
        "services:",
        "  api:",
        "    image: api",
        "    env_file: [{ path: ./missing.env, required: false }]",
        "    healthcheck: { test: [CMD, 'true'], start_interval: 1s }",
        "    depends_on: { db: { condition: service_healthy, restart: true, required: true } }",
        "  db:",
        "    image: db",
        "    healthcheck: { test: [CMD, 'true'] }",
      ].join("\n"),
    );
    expect(Object.keys(services)).toEqual(["api", "db"]);
    expect(warnings).toEqual([]);
  });

  it("keeps a valid key Vigil cannot honour as a warning with file:line:col and the key", () => {
    const { services, warnings } = load(
      "services:\n  api:\n    image: api\n    stdin_open: true\n    dns: [1.1.1.1]\n",
    );
    expect(services.api).toBeDefined();
    expect(warnings.map((w) => `${w.file}:${w.line}:${w.col} ${w.path}: ${w.message}`)).toEqual([
      'compose.yaml:4:5 services.api.stdin_open: "stdin_open" has no Vigil equivalent; ignored',
      'compose.yaml:5:5 services.api.dns: "dns" has no Vigil equivalent; ignored',
    ]);
  });
});
