import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHECK_KINDS } from "../probes/registry.ts";
import {
  configJsonSchema,
  configJsonSchemaText,
  JSON_SCHEMA_PATH,
  JSON_SCHEMA_REFRESH,
} from "./json-schema.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const validate = new Ajv({ allErrors: true, strict: false }).compile(configJsonSchema());

/** Every vigil*.yaml under examples/, so a new kind's example is checked without editing this test. */
function exampleConfigs(dir = join(root, "examples")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : exampleConfigs(path);
    return /^vigil(\.[\w-]+)?\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

describe("JSON Schema of vigil.yaml", () => {
  it(`matches the committed ${JSON_SCHEMA_PATH} (refresh: ${JSON_SCHEMA_REFRESH})`, () => {
    const committed = readFileSync(join(root, JSON_SCHEMA_PATH), "utf8");
    if (committed !== configJsonSchemaText()) {
      throw new Error(`${JSON_SCHEMA_PATH} is stale: the zod schemas changed. Run: ${JSON_SCHEMA_REFRESH}`);
    }
  });

  it("describes every check kind of the registry, with descriptions", () => {
    const text = configJsonSchemaText();
    for (const kind of CHECK_KINDS) expect(text, kind).toContain(`"const": "${kind}"`);
    expect(text).toContain("HTTP(S) request with expectations on status, body, JSON and latency.");
  });

  it("accepts every example config, each carrying the yaml-language-server modeline", () => {
    const files = exampleConfigs();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).toMatch(/^# yaml-language-server: \$schema=[^\n]*schema\/vigil\.schema\.json$/m);
      const ok = validate(parse(text));
      expect(ok ? [] : validate.errors, file).toEqual([]);
    }
  });

  it("rejects what the loader rejects: unknown kinds, unknown keys, malformed conditions", () => {
    const config = (check: unknown) => ({ services: { api: { kind: "external", checks: [check] } } });
    expect(validate(config({ kind: "tcp", port: 80 }))).toBe(true);
    expect(validate(config({ kind: "postgres", url: "postgres://x/y", expect: { value: "== 0" } }))).toBe(
      true,
    );
    expect(validate(config({ kind: "htp", url: "http://x" }))).toBe(false);
    expect(validate(config({ kind: "tcp", port: 80, prot: 1 }))).toBe(false);
    expect(validate(config({ kind: "postgres", url: "postgres://x/y", expect: { value: "about 3" } }))).toBe(
      false,
    );
  });
});
