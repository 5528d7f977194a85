import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";
import { memoryIo } from "./io.ts";

/** The CLI over compose files: `vigil import`, `--config docker-compose.yml`, `--profile`. */

const root = resolve(import.meta.dirname, "../../..");
const corpus = "packages/orchestrator/src/config/compose/corpus";

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd: root, env });
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("vigil with compose files", () => {
  it("import prints vigil.yaml with comments for keys that have no equivalent", async () => {
    const { code, out } = await run(["import", `${corpus}/x-vigil/compose.yaml`]);
    expect(code).toBe(0);
    expect(out).toContain("kind: docker");
    expect(out).toContain(
      `# not imported: services.api.logging: "logging" has no Vigil equivalent; ignored (${corpus}/x-vigil/compose.yaml:16:5)`,
    );
  });

  it("--config reads a compose file, warns at file:line:col on stderr, and --profile enables services", async () => {
    const graph = await run(["--config", `${corpus}/x-vigil/compose.yaml`, "graph"]);
    expect(graph.code).toBe(0);
    expect(graph.out).toContain("2 services in 2 waves");
    expect(graph.err).toContain(
      `Config warning at ${corpus}/x-vigil/compose.yaml:7:5: services.cache.privileged: "privileged" has no Vigil equivalent; ignored`,
    );
    const dev = await run(["--config", `${corpus}/profiles/compose.yaml`, "--profile", "dev", "graph"]);
    expect(dev.out).toContain("4 services in 2 waves");
  });

  it("a missing required variable is an error with file:line:col", async () => {
    const ok = await run(["--config", `${corpus}/env-files/compose.yaml`, "graph"]);
    expect(ok.code).toBe(0); // DB_PASSWORD comes from the .env beside the file
    const missing = await run(["--config", `${corpus}/env-files/compose.yaml`, "graph"], { DB_PASSWORD: "" });
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain(
      `${corpus}/env-files/compose.yaml:5:26: services.db.environment.POSTGRES_PASSWORD: required variable DB_PASSWORD: set DB_PASSWORD in .env`,
    );
  });
});
