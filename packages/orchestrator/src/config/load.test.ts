// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const SECRET = "p@ss:w#rd]>x";

async function loadError(file: string, environ: Record<string, string> = {}): Promise<ConfigError> {
  try {
    await loadConfig({ path: file, cwd: fixtures, environ });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without error`);
}

describe("config fixtures fail with exact, positioned messages", () => {
  it("malformed YAML reports the parser's line and column", async () => {
    const error = await loadError("malformed.yaml");
    expect(error.message).toBe(
      "Config error at malformed.yaml:5:1: All mapping items must start at the same column",
    );
    expect(error.issues).toEqual([
      {
        file: "malformed.yaml",
        line: 5,
        col: 1,
        path: "",
        message: "All mapping items must start at the same column",
      },
    ]);
  });

  it("an unknown key points at the key and suggests the allowed one", async () => {
    const error = await loadError("unknown-key.yaml");
    expect(error.message).toBe(
      'Config error at unknown-key.yaml:6:5: services.api.depnds_on: unknown key "depnds_on" (did you mean "depends_on"?)',
    );
  });

  it("an unknown dependency points at the depends_on entry and suggests a service", async () => {
    const error = await loadError("unknown-dependency.yaml");
    expect(error.message).toBe(
      'Config error at unknown-dependency.yaml:12:9: services.api.depends_on[0]: unknown service "reddis" (did you mean "redis"?)',
    );
  });

  it("a cycle prints its path", async () => {
    const error = await loadError("cycle.yaml");
    expect(error.message).toBe(
      "Config error at cycle.yaml:5:18: services.api.depends_on[0]: dependency cycle: api → worker → queue → api",
    );
  });

  it("a missing required variable (the :? form) names the variable and the message", async () => {
    const error = await loadError("missing-var.yaml");
    expect(error.message).toBe(
      "Config error at missing-var.yaml:6:14: services.db.checks[0].url: variable DB_PASSWORD is required: set DB_PASSWORD to the app role's password",
    );
  });

  it("a secret with YAML special characters never appears in an error", async () => {
    const error = await loadError("secret.yaml", { DB_PASSWORD: SECRET, GREETING: "hi" });
    expect(error.message).toBe(
      'Config error at secret.yaml:14:22: services.api.startup_timeout: invalid duration "***" (use e.g. 500ms, 10s, 2m, 1h)',
    );
    expect(JSON.stringify(error.issues)).not.toContain(SECRET);
  });

  it("a missing file is a ConfigError too", async () => {
    const error = await loadError("nope.yaml");
    expect(error.message).toBe("Config error at nope.yaml: file not found");
  });
});

describe("secrets", () => {
  it("stay intact in the parsed config and are redacted everywhere else", async () => {
    const text = `services:
  db:
    kind: external
    checks:
      - kind: postgres
        url: postgres://app:\${DB_PASSWORD}@127.0.0.1:5432/app
  api:
    kind: process
    command: node api.mjs
    secrets: [SESSION]
    env:
      DB_PASSWORD: \${DB_PASSWORD}
      SESSION: s3ss10n-v4lue
      API_TOKEN: literal-token
      PLAIN: visible
    checks:
      - kind: http
        url: http://127.0.0.1:8080/health
        headers: { Authorization: Bearer abc.def }
`;
    const dir = await mkdtemp(join(tmpdir(), "vigil-secret-"));
    try {
      await writeFile(join(dir, "vigil.yaml"), text);
      const { config, redactor } = await loadConfig({ cwd: dir, environ: { DB_PASSWORD: SECRET } });
      const api = config.services.api;
      expect(api?.kind === "process" && api.env.DB_PASSWORD).toBe(SECRET);
      const db = config.services.db?.checks[0];
      expect(db?.kind === "postgres" && db.url).toBe(`postgres://app:${SECRET}@127.0.0.1:5432/app`);

      const printed = JSON.stringify(redactor.redactConfig(config));
      for (const secret of [SECRET, "s3ss10n-v4lue", "literal-token", "abc.def"]) {
        expect(printed).not.toContain(secret);
      }
      expect(printed).toContain("postgres://app:***@127.0.0.1:5432/app");
      expect(printed).toContain('"PLAIN":"visible"');
      expect(redactor.redact(`connecting with ${SECRET}`)).toBe("connecting with ***");
      // The original config is untouched by redaction.
      expect(api?.kind === "process" && api.env.SESSION).toBe("s3ss10n-v4lue");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("finds passwords inside URLs, including redis://:pw@", async () => {
    const text = `services:
  cache:
    kind: external
    url: redis://:hunter2@127.0.0.1:6379
`;
    const dir = await mkdtemp(join(tmpdir(), "vigil-url-"));
    try {
      await writeFile(join(dir, "vigil.yaml"), text);
      const { config, redactor } = await loadConfig({ cwd: dir, environ: {} });
      expect(
        redactor.redactConfig(config).services.cache?.kind === "external" &&
          redactor.redactConfig(config).services.cache,
      ).toMatchObject({
        url: "redis://:***@127.0.0.1:6379",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("files, overlays and .env", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async (files: Record<string, string>): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), "vigil-config-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  };

  it("deep-merges the overlay: maps merge, arrays and scalars replace, null deletes", async () => {
    const dir = join(fixtures, "overlay");
    const { config, files } = await loadConfig({ cwd: dir, environ: { VIGIL_ENV: "dev" } });
    expect(files).toEqual([join(dir, "vigil.yaml"), join(dir, "vigil.dev.yaml")]);
    expect(Object.keys(config.services)).toEqual(["api", "db", "cache"]);
    const api = config.services.api;
    if (api?.kind !== "process") throw new Error("api should be a process");
    expect(api.env).toEqual({ LOG_LEVEL: "debug", PORT: "8080" });
    expect(api.depends_on).toEqual(["db"]);
    expect(api.restart.policy).toBe("on-failure");
    expect(api.restart.max_retries).toBe(3);
    expect(api.command).toEqual(["node", "api.mjs"]);
    expect(api.checks).toHaveLength(1);
  });

  it("resolves relative cwd against the config file's directory", async () => {
    const dir = join(fixtures, "overlay");
    const { config } = await loadConfig({ path: join(dir, "vigil.yaml"), cwd: "/", environ: {} });
    const api = config.services["debug-tool"];
    expect(api?.kind === "process" && api.cwd).toBe(dir);
    const main = config.services.api;
    expect(main?.kind === "process" && main.cwd).toBe(join(dir, "app"));
  });

  it("reports a missing overlay for an explicit env", async () => {
    const dir = join(fixtures, "overlay");
    await expect(loadConfig({ cwd: dir, env: "prod", environ: {} })).rejects.toThrow(
      "Config error at vigil.prod.yaml: file not found",
    );
  });

  it("loads .env next to the config; the real environment wins", async () => {
    const dir = await tempDir({
      "vigil.yaml": `project: \${PROJECT}
services:
  api:
    kind: process
    command: node api.mjs
    env:
      API_TOKEN: \${API_TOKEN}
      REGION: \${REGION}
`,
      ".env": `# local defaults
PROJECT=from-dotenv
export API_TOKEN="tok#en:1"
REGION=eu # comment
`,
    });
    const { config, files, redactor } = await loadConfig({
      path: "vigil.yaml",
      cwd: dir,
      environ: { REGION: "us-from-env" },
    });
    expect(files).toEqual([join(dir, "vigil.yaml"), join(dir, ".env")]);
    expect(config.project).toBe("from-dotenv");
    const api = config.services.api;
    expect(api?.kind === "process" && api.env).toEqual({ API_TOKEN: "tok#en:1", REGION: "us-from-env" });
    expect(redactor.redact("token tok#en:1")).toBe("token ***");
  });

  it("takes the path from VIGIL_CONFIG", async () => {
    const dir = await tempDir({ "stack.yaml": "project: named\n" });
    const { config } = await loadConfig({ cwd: dir, environ: { VIGIL_CONFIG: "stack.yaml" } });
    expect(config.project).toBe("named");
  });
});

describe("cluster mode", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a process service without node:, at that service, and accepts one with it", async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-cluster-config-"));
    const file = join(dir, "vigil.yaml");
    await writeFile(
      file,
      [
        "services:",
        "  placed:",
        "    kind: process",
        "    command: sleep 60",
        "    node: node-a",
        "  worker:",
        "    kind: process",
        "    command: sleep 60",
        "",
      ].join("\n"),
    );
    // A single instance runs every process itself: no node needed.
    await expect(loadConfig({ path: file, cwd: dir, environ: {} })).resolves.toBeDefined();
    const error = await loadConfig({ path: file, cwd: dir, environ: {}, clusterMode: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "Config error at vigil.yaml:6:3: services.worker: in cluster mode (VIGIL_CLUSTER=1) a process service needs `node:`, the VIGIL_NODE_NAME of the instance that runs it",
    );
  });
});
