import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findRepoRoot, locateConfig } from "./locate.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "vigil-locate-"));
  dirs.push(d);
  return d;
};

describe("locateConfig", () => {
  it("prefers --config, then VIGIL_CONFIG, then ./vigil.yaml, then the demo", () => {
    const cwd = tempDir();
    const base = { environ: {}, cwd, repoRoot: "/repo" };
    expect(locateConfig(base)).toEqual({
      path: "/repo/examples/demo/vigil.yaml",
      source: "demo",
      stateDir: "/repo/examples/demo/.vigil/state",
    });
    writeFileSync(join(cwd, "vigil.yaml"), "services: {}\n");
    expect(locateConfig(base)).toMatchObject({ source: "cwd", path: join(cwd, "vigil.yaml") });
    expect(locateConfig({ ...base, environ: { VIGIL_CONFIG: "a.yaml" } })).toMatchObject({
      source: "VIGIL_CONFIG",
      path: join(cwd, "a.yaml"),
    });
    expect(
      locateConfig({
        ...base,
        environ: { VIGIL_CONFIG: "a.yaml", VIGIL_ENV: "qa" },
        config: "b.yaml",
        env: "prod",
      }),
    ).toEqual({
      source: "--config",
      path: join(cwd, "b.yaml"),
      env: "prod",
      stateDir: join(cwd, ".vigil/state"),
    });
  });

  it("keeps state next to the config unless --state-dir or VIGIL_STATE_DIR say otherwise", () => {
    const cwd = tempDir();
    const base = { cwd, repoRoot: undefined, config: "conf/vigil.yaml" };
    expect(locateConfig({ ...base, environ: {} }).stateDir).toBe(join(cwd, "conf/.vigil/state"));
    expect(locateConfig({ ...base, environ: { VIGIL_STATE_DIR: "/x/y" } }).stateDir).toBe("/x/y");
    expect(locateConfig({ ...base, environ: { VIGIL_STATE_DIR: "/x/y" }, stateDir: "st" }).stateDir).toBe(
      join(cwd, "st"),
    );
    // An exported-but-empty variable is unset, not "the current directory".
    expect(locateConfig({ ...base, environ: { VIGIL_STATE_DIR: "", VIGIL_ENV: "" } })).toEqual({
      path: join(cwd, "conf/vigil.yaml"),
      source: "--config",
      stateDir: join(cwd, "conf/.vigil/state"),
    });
  });

  it("finds the checkout root from inside it", () => {
    expect(findRepoRoot(import.meta.dirname)).toBe(join(import.meta.dirname, "../../../.."));
    expect(findRepoRoot(tempDir())).toBeUndefined();
  });
});
