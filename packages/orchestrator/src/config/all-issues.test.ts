import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, MAX_REPORTED_ISSUES } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { parseConfigText } from "./parse.ts";

/* Issue 19: a config with three mistakes reports all three at once, each at file:line:col. */

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("every config mistake in one report", () => {
  it("reports a schema mistake, a misspelt check kind and an unknown dependency together", () => {
    const text = [
      "project: p",
      "services:",
      "  api:",
      "    kind: process",
      "    command: [node, a.js]",
      "    depends_on: [reddis]",
      "    restart: sometimes",
      "  web:",
      "    kind: external",
      "    checks:",
      "      - kind: htp",
      "        url: http://x",
      "",
    ].join("\n");
    const err = errorOf(() => parseConfigText(text, "vigil.yaml"));
    expect(err.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}`)).toEqual([
      "vigil.yaml:6:18 services.api.depends_on[0]",
      "vigil.yaml:7:14 services.api.restart",
      "vigil.yaml:11:15 services.web.checks[0].kind",
    ]);
    expect(err.message.split("\n")).toHaveLength(3);
    expect(err.message).toContain('unknown service "reddis"');
  });

  it("reports a dependency problem once even when the schema is fine elsewhere", () => {
    const text =
      "project: p\nservices:\n  a:\n    kind: external\n    depends_on: [a]\n  b:\n    kind: nope\n";
    const err = errorOf(() => parseConfigText(text, "vigil.yaml"));
    expect(err.issues.map((i) => i.path)).toEqual(["services.a.depends_on[0]", "services.b.kind"]);
  });

  it(`caps the report at ${MAX_REPORTED_ISSUES} problems and says how many more there are`, () => {
    const keys = Array.from({ length: 40 }, (_, i) => `    bogus${i}: 1`).join("\n");
    const text = `project: p\nservices:\n  a:\n    kind: external\n${keys}\n`;
    const err = errorOf(() => parseConfigText(text, "vigil.yaml"));
    expect(err.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(err.omitted).toBe(40 - MAX_REPORTED_ISSUES);
    expect(err.message.split("\n").at(-1)).toBe(`… and ${40 - MAX_REPORTED_ISSUES} more config problems`);
  });

  describe("files", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("a missing base and a missing overlay are reported together", async () => {
      dir = mkdtempSync(join(tmpdir(), "vigil-all-issues-"));
      writeFileSync(join(dir, "unrelated.yaml"), "x: 1\n");
      const err = await loadConfig({ cwd: dir, env: "prod", environ: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => `${i.file}: ${i.message}`)).toEqual([
        "vigil.prod.yaml: file not found",
        "vigil.yaml: file not found",
      ]);
    });
  });
});
