import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError, loadConfig } from "@vigil/orchestrator";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";
import { memoryIo } from "./io.ts";

const root = resolve(import.meta.dirname, "../../..");
const example = "examples/agent-stack/vigil.yaml";
const tmp = mkdtempSync(join(tmpdir(), "vigil-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd: root, env });
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("argument handling", () => {
  it("prints help for the program and every command with exit 0", async () => {
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.out).toContain("Usage: vigil");
    for (const command of [
      "start",
      "stop",
      "restart",
      "rollback",
      "status",
      "health",
      "logs",
      "graph",
      "config",
      "watch",
      "silence",
      "alerts",
    ]) {
      const help = await run([command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.out, command).toContain(`Usage: vigil ${command}`);
    }
  });

  it("exits 2 on usage mistakes", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["frobnicate"])).code).toBe(2);
    // silence needs both the service and the duration; alerts test needs the channel.
    expect((await run(["silence", "api"])).code).toBe(2);
    expect((await run(["alerts", "test"])).code).toBe(2);
    const bad = await run(["--config", example, "logs", "-n", "many"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("expected a whole number");
    const unknown = await run(["--config", example, "graph", "core-ap"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown service "core-ap" (did you mean "core-api"?)');
  });

  it("prints a config error exactly as the loader formats it, exit 2", async () => {
    const file = join(tmp, "vigil.yaml");
    writeFileSync(
      file,
      "services:\n  redis:\n    kind: external\n  api:\n    kind: external\n    depends_on: [reddis]\n",
    );
    const expected = await loadConfig({ path: file, cwd: root, environ: {} }).then(
      () => "",
      (error: unknown) => (error instanceof ConfigError ? error.message : String(error)),
    );
    expect(expected).toMatch(/^Config error at .*vigil\.yaml:6:\d+: .*did you mean "redis"/);
    const result = await run(["--config", file, "graph"]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`${expected}\n`);
    expect(result.out).toBe("");
  });

  it("takes the config from VIGIL_CONFIG", async () => {
    const result = await run(["graph"], { VIGIL_CONFIG: example });
    expect(result.code).toBe(0);
    expect(result.out).toContain("core-api");
  });
});

describe("graph and config", () => {
  it("prints waves as text, a subgraph for targets, and DOT", async () => {
    const text = await run(["--config", example, "graph"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /wave 1\n {2}nats +external\n {2}postgres +external\n {2}redis +external\nwave 2\n {2}core-api /,
    );
    expect(text.out).toContain("8 services in 4 waves");
    const sub = await run(["--config", example, "graph", "core-api"]);
    expect(sub.out).toContain("4 services in 2 waves");
    expect(sub.out).not.toContain("agent-writer");
    const dot = await run(["--config", example, "graph", "--dot"]);
    expect(dot.out).toMatch(/^digraph vigil \{/);
    expect(dot.out).toContain('"core-api" -> "redis"');
  });

  it("prints the resolved config with secrets redacted, as YAML or JSON", async () => {
    const secret = "tok:en#with]special>chars";
    const yaml = await run(["--config", example, "config"], { CORE_API_TOKEN: secret });
    expect(yaml.code).toBe(0);
    expect(yaml.out).toContain('API_TOKEN: "***"');
    expect(yaml.out).not.toContain(secret);
    const json = await run(["--config", example, "config", "--json"], { CORE_API_TOKEN: secret });
    const parsed = JSON.parse(json.out) as { services: Record<string, { env?: Record<string, string> }> };
    expect(parsed.services["core-api"]?.env?.API_TOKEN).toBe("***");
    expect(json.out).not.toContain("tok:en");
  });
});

describe("watch", () => {
  it("draws the board until interrupted, then exits 0", async () => {
    const stateDir = mkdtempSync(join(tmp, "state-"));
    const controller = new AbortController();
    const io = memoryIo({ cwd: root, signal: controller.signal });
    setTimeout(() => controller.abort(), 700);
    const code = await runCli(
      ["--config", example, "--state-dir", stateDir, "watch", "--interval", "250"],
      io,
    );
    expect(code).toBe(0);
    expect(io.out()).toMatch(/vigil · agent-stack/);
    expect(io.out()).toMatch(/SERVICE +KIND +STATE +HEALTH +LATENCY +UPTIME +RESTARTS/);
    // Not a terminal: plain redraws, no escape sequences.
    expect(io.out()).not.toContain("\x1b[");
    expect(
      (await runCli(["--config", example, "watch", "--interval", "10"], memoryIo({ cwd: root }))).valueOf(),
    ).toBe(2);
  });
});

describe("vigil schema", () => {
  it("prints the JSON Schema of vigil.yaml without needing a config, or writes it to a file", async () => {
    const printed = await run(["schema"]);
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.out) as { $schema: string; title: string };
    expect(schema).toMatchObject({ $schema: "http://json-schema.org/draft-07/schema#", title: "vigil.yaml" });
    const target = join(tmp, "vigil.schema.json");
    const written = await run(["schema", "--output", target]);
    expect(written.code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(printed.out);
  });
});
