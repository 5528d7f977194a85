// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCompose } from "./index.ts";
import { interpolate } from "./interpolate.ts";

const run = (text: string, environ: Record<string, string | undefined>) => {
  const warnings: string[] = [];
  const result = interpolate(text, environ, (m) => warnings.push(m));
  return { value: result.value, warnings };
};

describe("compose interpolation", () => {
  it("follows compose: braces or not, set vs non-empty operators, $$, nested defaults", () => {
    const env = { SET: "v", EMPTY: "" };
    expect(run("$SET/${SET}", env).value).toBe("v/v");
    expect(run("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}", env).value).toBe("d||d");
    expect(run("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}", env).value).toBe("alt||alt|");
    expect(run("$$SET costs $$5", env).value).toBe("$SET costs $5");
    expect(run("${UNSET:-${SET}-x}", env).value).toBe("v-x");
  });

  it("an unset variable is empty with a warning; a required one is an error naming it", () => {
    expect(run("a${NOPE}b", {})).toEqual({
      value: "ab",
      warnings: ["variable NOPE is not set; using an empty string"],
    });
    expect(() => run("${DB:?set DB first}", { DB: "" })).toThrow("required variable DB: set DB first");
    expect(run("${DB?missing}", { DB: "" }).value).toBe("");
  });

  it("an invalid compose file is an error with line:col", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-compose-"));
    const file = join(dir, "compose.yaml");
    writeFileSync(file, "services:\n  web:\n    image: [unclosed\n");
    expect(() => loadCompose([file], { environ: {}, display: () => "compose.yaml" })).toThrow(
      /Config error at compose\.yaml:\d+:\d+: /,
    );
    writeFileSync(file, "services:\n  web:\n    image: x\n    environment:\n      PASS: ${PASS:?needed}\n");
    expect(() => loadCompose([file], { environ: {}, display: () => "compose.yaml" })).toThrow(
      "Config error at compose.yaml:5:13: services.web.environment.PASS: required variable PASS: needed",
    );
  });
});
