import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../load.ts";
import { parseConfigText } from "../parse.ts";
import { importCompose } from "./import.ts";

const corpus = join(dirname(fileURLToPath(import.meta.url)), "corpus");

describe("vigil import", () => {
  it("prints a vigil.yaml that loads to the same config, with comments for what has no equivalent", async () => {
    const file = join(corpus, "x-vigil/compose.yaml");
    const text = importCompose([file], { environ: {}, display: () => "compose.yaml" });
    expect(text).toContain(
      '# not imported: services.api.logging: "logging" has no Vigil equivalent; ignored (compose.yaml:16:5)',
    );
    expect(text).toContain(
      '# not imported: services.cache.privileged: "privileged" has no Vigil equivalent; ignored (compose.yaml:7:5)',
    );
    const imported = parseConfigText(text, join(corpus, "x-vigil/vigil.yaml")).config;
    const direct = (await loadConfig({ path: file, environ: {} })).config;
    expect(imported.services).toEqual(direct.services);
    expect(imported.project).toBe(direct.project);
  });

  it("writes a secret from the environment as a reference to its variable, never its value", async () => {
    const file = join(corpus, "run-secrets/compose.yaml");
    const environ = { API_TOKEN: "tok-never-printed" };
    const text = importCompose([file], { environ, display: (p) => p });
    expect(text).not.toContain("tok-never-printed");
    expect(text).toContain(`content: ${"$"}{API_TOKEN}`);
    const imported = parseConfigText(text, join(corpus, "run-secrets/vigil.yaml"), environ).config;
    const direct = (await loadConfig({ path: file, environ })).config;
    expect(imported.services).toEqual(direct.services);
  });

  it("keeps a literal $ literal through vigil.yaml's own substitution", async () => {
    const file = join(corpus, "env-files/compose.yaml");
    const text = importCompose([file], { environ: { DB_PASSWORD: "pa$$word" }, display: (p) => p });
    const imported = parseConfigText(text, join(corpus, "env-files/vigil.yaml")).config;
    const direct = (await loadConfig({ path: file, environ: { DB_PASSWORD: "pa$$word" } })).config;
    expect(imported.services).toEqual(direct.services);
  });
});
