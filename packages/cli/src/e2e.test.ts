import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError, loadConfig } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * Drives the real `vigil` binary against the example AI-agent stack: real processes, the machine's
 * real Redis, NATS and Postgres. Each invocation is a separate process sharing one temp state dir,
 * exactly as a person would use it. The stack is stopped and every pid killed even on failure.
 */

const root = resolve(import.meta.dirname, "../../..");
const bin = join(root, "packages/cli/bin/vigil.mjs");
const config = "examples/agent-stack/vigil.yaml";
const SECRET = "e2e:tok#en]>";
const stateDir = mkdtempSync(join(tmpdir(), "vigil-cli-e2e-"));
const pids = new Set<number>();

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function vigil(args: string[], opts: { global?: string[]; timeoutMs?: number } = {}): Promise<Run> {
  const global = opts.global ?? ["--config", config, "--state-dir", stateDir];
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [bin, ...global, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", CORE_API_TOKEN: SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`vigil ${args.join(" ")} timed out\n${out}\n${err}`));
    }, opts.timeoutMs ?? 90_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolveRun({ code, out, err });
    });
  });
}

/** A live process: exists and is not a zombie (an exited child its new parent has not reaped yet). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
};

/** Pids from the runner's pid files: a safety net for cleanup if `status` never ran. */
function recordedPids(): number[] {
  try {
    const dir = join(stateDir, "run");
    return readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as { pid: number }).pid);
  } catch {
    return [];
  }
}

interface StatusJson {
  services: {
    name: string;
    kind: string;
    status: string;
    runtime: { state: string; pid?: number };
  }[];
}

describe("vigil e2e on the agent stack", () => {
  beforeAll(async () => {
    // Another agent stack on the same ports (a bench run, a second test run) would answer our
    // health checks while our own processes fail to bind: refuse to run rather than mislead.
    for (const port of [17100, 17110, 17121, 17122, 17123]) {
      const taken = await fetch(`http://127.0.0.1:${port}/health`, {
        signal: AbortSignal.timeout(2_000),
      }).then(
        () => true,
        () => false,
      );
      if (taken) throw new Error(`port ${port} is already serving: stop the other agent stack first`);
    }
  });

  afterAll(async () => {
    await vigil(["stop"]).catch(() => undefined);
    for (const pid of [...pids, ...recordedPids()]) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, "SIGKILL");
        } catch {
          // Already gone: the normal case.
        }
      }
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("graph prints the startup waves", async () => {
    const run = await vigil(["graph"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/wave 1\n {2}nats .*\n {2}postgres .*\n {2}redis .*\nwave 2\n {2}core-api /);
    expect(run.out).toMatch(/wave 3\n {2}model-manager .*← core-api\nwave 4\n {2}agent-planner/);
  });

  it("config shows the resolved config with the secret redacted", async () => {
    const run = await vigil(["config"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('API_TOKEN: "***"');
    expect(run.out).not.toContain("e2e:tok");
  });

  it("start brings the stack up wave by wave", async () => {
    const run = await vigil(["start"]);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("Starting 8 services in 4 waves");
    expect(run.out).toMatch(/wave 3 +model-manager +starting +stage: /);
    for (const name of ["core-api", "model-manager", "agent-planner", "agent-researcher", "agent-writer"]) {
      expect(run.out).toMatch(new RegExp(`wave \\d +${name} +healthy`));
    }
    expect(run.out).toMatch(/✓ start succeeded in .*: started 8 services/);
  });

  it("status --json shows every service healthy", async () => {
    const run = await vigil(["status", "--json"]);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.out) as StatusJson;
    expect(status.services.map((s) => s.name).sort()).toEqual([
      "agent-planner",
      "agent-researcher",
      "agent-writer",
      "core-api",
      "model-manager",
      "nats",
      "postgres",
      "redis",
    ]);
    for (const service of status.services) {
      if (service.runtime.pid !== undefined) pids.add(service.runtime.pid);
      expect(service.status, service.name).toBe("healthy");
      if (service.kind === "process") expect(service.runtime.state, service.name).toBe("running");
    }
    expect(pids.size).toBe(5);
    const table = await vigil(["status"]);
    expect(table.out).toMatch(/^SERVICE +KIND +STATE +HEALTH +LATENCY +UPTIME +RESTARTS/);
    expect(table.out).toMatch(/core-api +process +running +healthy/);
  });

  it("health runs every check once and exits 0", async () => {
    const run = await vigil(["health", "--deep"]);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("8/8 checks healthy");
    expect(run.out).toMatch(/dependencies: redis healthy/);
    expect(run.out).toMatch(/4\/4 ✓ model loaded/);
  });

  it("logs prints a service's recent lines", async () => {
    const run = await vigil(["logs", "core-api", "-n", "5"]);
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(run.out).toContain("core-api: listening on 127.0.0.1:17100");
  });

  it("stop stops everything in reverse order and leaves no process", async () => {
    const run = await vigil(["stop"]);
    expect(run.code, run.out).toBe(0);
    const at = (name: string): number => run.out.search(new RegExp(`wave \\d +${name} +stopped`));
    for (const agent of ["agent-planner", "agent-researcher", "agent-writer"]) {
      expect(at(agent)).toBeGreaterThan(-1);
      expect(at(agent)).toBeLessThan(at("model-manager"));
    }
    expect(at("model-manager")).toBeLessThan(at("core-api"));
    expect(run.out).toMatch(/✓ stop succeeded/);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    const after = JSON.parse((await vigil(["status", "--json"])).out) as StatusJson;
    for (const service of after.services.filter((s) => s.kind === "process")) {
      expect(service.runtime.state, service.name).toBe("stopped");
    }
  });

  it("a bad config exits 2 with the exact config error", async () => {
    const file = join(stateDir, "bad.yaml");
    writeFileSync(
      file,
      "services:\n  api:\n    kind: external\n    depends_on: [reddis]\n  redis:\n    kind: external\n",
    );
    const expected = await loadConfig({ path: file, cwd: root, environ: {} }).then(
      () => "loaded",
      (error: unknown) => (error instanceof ConfigError ? error.message : String(error)),
    );
    const run = await vigil(["status"], { global: ["--config", file] });
    expect(run.code).toBe(2);
    expect(run.err).toBe(`${expected}\n`);
    expect(run.out).toBe("");
  });
});
