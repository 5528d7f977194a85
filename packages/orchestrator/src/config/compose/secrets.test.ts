import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../engine/engine.ts";
import type { EngineEvent } from "../../events.ts";
import { buildGraph } from "../../graph/graph.ts";
import { tempStateDir, until } from "../../lifecycle/fixtures/helpers.ts";
import { dockerAvailable, dockerCli, dockerQuiet } from "../../testing/docker.ts";
import { loadConfig } from "../load.ts";

/* Top-level secrets and configs and the services' secrets:/configs: (issue 15). */

const corpus = join(dirname(fileURLToPath(import.meta.url)), "corpus");
const TOKEN = "tok-from-the-environment-7f3a";

describe("compose secrets and configs", () => {
  it("joins short and long forms with their definitions: files absolute, values from the environment", async () => {
    const { config, redactor } = await loadConfig({
      path: join(corpus, "run-secrets/compose.yaml"),
      environ: { API_TOKEN: TOKEN, COMPOSE_PROJECT_NAME: "sec" },
    });
    expect(buildGraph(config.services).waves()).toEqual([["app"]]);
    const app = config.services.app;
    if (app?.kind !== "docker") throw new Error("app is a docker service");
    expect(app.secret_mounts).toEqual([
      {
        name: "db_password",
        target: "/run/secrets/db_password",
        file: join(corpus, "run-secrets/db_password.txt"),
        uid: 0,
        gid: 0,
        mode: 0o444,
      },
      { name: "api_token", target: "/run/secrets/token", content: TOKEN, uid: 1000, gid: 0, mode: 0o440 },
    ]);
    expect(app.config_mounts).toEqual([
      {
        name: "app_conf",
        target: "/etc/app/app.conf",
        content: "listen=8080\n",
        uid: 0,
        gid: 0,
        mode: 0o444,
      },
      {
        name: "motd",
        target: "/motd",
        file: join(corpus, "run-secrets/motd.txt"),
        uid: 0,
        gid: 0,
        mode: 0o444,
      },
    ]);
    // Both secrets (the file's content too) are masked wherever Vigil shows config or text.
    const shown = JSON.stringify(redactor.redactConfig(config));
    expect(shown).not.toContain(TOKEN);
    expect(redactor.redact(`password s3cret-from-a-file and ${TOKEN}`)).toBe("password *** and ***");
    // Configs are not secrets.
    expect(shown).toContain("listen=8080");
  });

  it("names file:line:col for an undefined secret and an unset variable; an external secret is a warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-secrets-"));
    const file = join(dir, "compose.yaml");
    writeFileSync(
      file,
      [
        "services:",
        "  app:",
        "    image: app",
        "    secrets: [ghost, token, swarm]",
        "secrets:",
        "  token: { environment: NOT_SET_ANYWHERE }",
        "  swarm: { external: true }",
      ].join("\n"),
    );
    await expect(loadConfig({ path: file, environ: {} })).rejects.toThrow(
      /compose\.yaml:4:5: services\.app\.secrets\[0\]: secret "ghost" is not defined in the top-level secrets:\n.*compose\.yaml:4:5: services\.app\.secrets\[1\]: secret "token" comes from environment variable NOT_SET_ANYWHERE, which is not set/,
    );
    writeFileSync(
      file,
      "services:\n  app:\n    image: app\n    secrets: [swarm]\nsecrets:\n  swarm: { external: true }\n",
    );
    const { warnings } = await loadConfig({ path: file, environ: {} });
    expect(warnings).toEqual([
      expect.objectContaining({
        line: 4,
        col: 5,
        path: "services.app.secrets[0]",
        message: expect.stringContaining('secret "swarm" is external'),
      }),
    ]);
  });
});

describe.skipIf(!dockerAvailable())("compose secrets and configs on the local engine", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  it("mounts secrets at /run/secrets and configs at their targets; the secrets never reach an event unredacted", async () => {
    const project = `vs${process.pid}x${Math.floor(Math.random() * 1e6)}`;
    const { config, redactor } = await loadConfig({
      path: join(corpus, "run-secrets/compose.yaml"),
      environ: { API_TOKEN: TOKEN, COMPOSE_PROJECT_NAME: project },
    });
    const events: EngineEvent[] = [];
    // The app's composition root redacts every event this way before storing or sending it.
    const engine = createEngine({
      config,
      stateDir: tempStateDir(),
      onEvent: (e) => events.push(JSON.parse(redactor.redact(JSON.stringify(e)))),
      monitorChecks: false,
    });
    cleanups.push(async () => {
      await engine.close({ stopServices: false });
      for (const id of dockerQuiet(
        "ps",
        "-aq",
        "--filter",
        `label=com.docker.compose.project=${project}`,
      ).split("\n"))
        if (id) dockerQuiet("rm", "-f", id);
    });
    await engine.ready;
    expect(await engine.start([]).done).toMatchObject({ result: "succeeded" });
    const container = `${project}-app-1`;
    const exec = (...args: string[]) => dockerCli("exec", container, ...args);
    expect(exec("cat", "/run/secrets/db_password")).toBe("s3cret-from-a-file");
    expect(exec("cat", "/run/secrets/token")).toBe(TOKEN);
    expect(exec("busybox", "stat", "-c", "%a %u", "/run/secrets/token")).toBe("440 1000");
    expect(exec("cat", "/etc/app/app.conf")).toBe("listen=8080");
    expect(exec("cat", "/motd")).toBe("welcome");
    // A bound secret file is read-only inside the container.
    expect(() => exec("sh", "-c", "echo x > /run/secrets/db_password")).toThrow();
    // The environment-based secret was copied in, not written to the host: no bind mount carries it.
    const mounts = dockerCli("inspect", "-f", "{{range .Mounts}}{{.Destination}} {{end}}", container);
    expect(mounts.split(" ").filter(Boolean).sort()).toEqual(["/motd", "/run/secrets/db_password"]);
    await until(() => events.some((e) => e.type === "service.log" && e.line.includes("***")), 20_000);
    const logs = events.flatMap((e) => (e.type === "service.log" ? [e.line] : []));
    expect(logs.join("\n")).not.toMatch(/s3cret-from-a-file|tok-from-the-environment/);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });
});
