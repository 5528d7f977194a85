import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/*
 * Failure paths through the real binary: a critical service that never gets healthy fails the
 * start (exit 1) and is rolled back; health exits 1 while a service is down.
 */

const root = resolve(import.meta.dirname, "../../..");
const bin = join(root, "packages/cli/bin/vigil.mjs");
const dir = mkdtempSync(join(tmpdir(), "vigil-cli-fail-"));
const config = join(dir, "vigil.yaml");
writeFileSync(
  config,
  `project: broken
services:
  redis:
    kind: external
    checks:
      - { kind: redis, url: "redis://127.0.0.1:6379" }
  api:
    kind: process
    critical: true
    command: [node, -e, "setInterval(() => {}, 1000)"]
    depends_on: [redis]
    startup_timeout: 2s
    stop_grace: 2s
    checks:
      - { kind: tcp, name: port, port: 1, interval: 200ms, timeout: 200ms }
`,
);
afterAll(() => {
  vigil(["stop"]);
  rmSync(dir, { recursive: true, force: true });
});

function vigil(args: string[]) {
  const run = spawnSync(
    process.execPath,
    [bin, "--config", config, "--state-dir", join(dir, "state"), ...args],
    {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("vigil failure paths", () => {
  it("a critical service that never gets healthy fails the start with exit 1, rolled back", () => {
    const run = vigil(["start"]);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toMatch(/wave 2 +api +failed +\S/);
    expect(run.out).toMatch(/wave 2 +api +rolled-back/);
    expect(run.out).toMatch(/✗ start failed after/);
    const status = JSON.parse(vigil(["status", "--json"]).out) as {
      services: { name: string; runtime: { state: string } }[];
    };
    expect(status.services.find((s) => s.name === "api")?.runtime.state).toBe("stopped");
  });

  it("health exits 1 when a check fails, naming it", () => {
    const run = vigil(["health"]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/✗ api +port +unhealthy/);
    expect(run.out).toMatch(/✓ redis /);
    expect(run.out).toContain("1/2 checks healthy");
  });

  it("rollback without an earlier revision fails with exit 1; an unknown service is a usage error", () => {
    expect(vigil(["rollback", "api"]).code).toBe(1);
    const unknown = vigil(["start", "apj"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown service "apj" (did you mean "api"?)');
  });
});
