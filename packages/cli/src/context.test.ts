import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRepoRoot, locateConfig } from "@vigil/orchestrator";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";
import { loadContext } from "./context.ts";
import { memoryIo } from "./io.ts";

const dir = mkdtempSync(join(tmpdir(), "vigil-ctx-"));
mkdirSync(join(dir, "conf"));
writeFileSync(join(dir, "conf/vigil.yaml"), "project: base\nservices:\n  redis:\n    kind: external\n");
writeFileSync(join(dir, "conf/vigil.prod.yaml"), "project: prod\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("global options", () => {
  it("keeps state next to the config by default, or where --state-dir / VIGIL_STATE_DIR say", async () => {
    const io = memoryIo({ cwd: dir });
    const byDefault = await loadContext(io, { config: "conf/vigil.yaml", color: true });
    expect(byDefault.stateDir).toBe(join(dir, "conf/.vigil/state"));
    const byFlag = await loadContext(io, { config: "conf/vigil.yaml", stateDir: "st", color: true });
    expect(byFlag.stateDir).toBe(join(dir, "st"));
    const byEnv = await loadContext(memoryIo({ cwd: dir, env: { VIGIL_STATE_DIR: "/x/y" } }), {
      config: "conf/vigil.yaml",
      color: true,
    });
    expect(byEnv.stateDir).toBe("/x/y");
  });

  it("applies the overlay from --env or VIGIL_ENV, the flag winning", async () => {
    const project = async (argv: string[], env: Record<string, string> = {}) => {
      const io = memoryIo({ cwd: dir, env });
      expect(await runCli([...argv, "config", "--json"], io)).toBe(0);
      return (JSON.parse(io.out()) as { project: string }).project;
    };
    expect(await project(["--config", "conf/vigil.yaml"])).toBe("base");
    expect(await project(["--config", "conf/vigil.yaml", "--env", "prod"])).toBe("prod");
    expect(await project(["--config", "conf/vigil.yaml"], { VIGIL_ENV: "prod" })).toBe("prod");
    const missing = memoryIo({ cwd: dir });
    expect(await runCli(["--config", "conf/vigil.yaml", "--env", "qa", "config"], missing)).toBe(2);
    expect(missing.err()).toBe("Config error at conf/vigil.qa.yaml: file not found\n");
  });

  it("falls back to the demo stack exactly where the server does", async () => {
    const empty = join(dir, "conf", ".vigil");
    mkdirSync(empty, { recursive: true });
    const io = memoryIo({ cwd: empty });
    const ctx = await loadContext(io, { color: false });
    // What server.ts asks for with no flags: the same resolver, rooted at this checkout.
    const server = locateConfig({ environ: {}, cwd: empty, repoRoot: findRepoRoot(import.meta.dirname) });
    expect(ctx.location).toEqual(server);
    expect(ctx.location.source).toBe("demo");
    expect(ctx.stateDir).toBe(server.stateDir);
    expect(io.err()).toContain("using the demo stack");
  });

  it("colours only when asked, on a terminal, without NO_COLOR", async () => {
    const tty = memoryIo({ cwd: dir, tty: true });
    expect((await loadContext(tty, { config: "conf/vigil.yaml", color: true })).palette.enabled).toBe(true);
    expect((await loadContext(tty, { config: "conf/vigil.yaml", color: false })).palette.enabled).toBe(false);
    const noColor = memoryIo({ cwd: dir, tty: true, env: { NO_COLOR: "1" } });
    expect((await loadContext(noColor, { config: "conf/vigil.yaml", color: true })).palette.enabled).toBe(
      false,
    );
  });
});
