import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { argValue, chooseConfig, describeDatabaseUrl } from "./paths.ts";
import { watchConfigFiles } from "./watch.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "vigil-startup-"));
  dirs.push(d);
  return d;
}

describe("config choice", () => {
  it("prefers --config, then VIGIL_CONFIG, then ./vigil.yaml, then the demo", () => {
    const cwd = tempDir();
    const base = { environ: {}, cwd, repoRoot: "/repo" };
    expect(chooseConfig({ ...base, argv: [] })).toEqual({
      path: "/repo/examples/demo/vigil.yaml",
      source: "demo",
      stateDir: "/repo/examples/demo/.vigil/state",
    });
    writeFileSync(join(cwd, "vigil.yaml"), "services: {}\n");
    expect(chooseConfig({ ...base, argv: [] })).toMatchObject({
      source: "cwd",
      path: join(cwd, "vigil.yaml"),
    });
    expect(chooseConfig({ ...base, environ: { VIGIL_CONFIG: "a.yaml" }, argv: [] })).toMatchObject({
      source: "VIGIL_CONFIG",
      path: join(cwd, "a.yaml"),
    });
    expect(
      chooseConfig({
        ...base,
        environ: { VIGIL_CONFIG: "a.yaml" },
        argv: ["--config=b.yaml", "--env", "prod", "--state-dir", "st"],
      }),
    ).toEqual({
      source: "--config",
      path: join(cwd, "b.yaml"),
      env: "prod",
      stateDir: join(cwd, "st"),
    });
    expect(argValue(["--config", "x"], "--config")).toBe("x");
  });

  it("prints database URLs without credentials", () => {
    expect(describeDatabaseUrl("postgresql://bob:s3cret@db.example:5433/vigil?sslmode=require")).toBe(
      "postgresql://db.example:5433/vigil",
    );
  });
});

describe("config watch", () => {
  it("calls back once per burst of edits, including replace-on-save", async () => {
    const dir = tempDir();
    const file = join(dir, "vigil.yaml");
    writeFileSync(file, "a: 1\n");
    let calls = 0;
    const stop = watchConfigFiles([file], () => calls++, { debounceMs: 100 });
    try {
      writeFileSync(file, "a: 2\n");
      writeFileSync(file, "a: 3\n");
      writeFileSync(join(dir, "tmp"), "x");
      const { renameSync } = await import("node:fs");
      renameSync(join(dir, "tmp"), file);
      writeFileSync(join(dir, "unrelated.txt"), "x");
      await new Promise((r) => setTimeout(r, 400));
      expect(calls).toBe(1);
    } finally {
      stop();
    }
  });
});
