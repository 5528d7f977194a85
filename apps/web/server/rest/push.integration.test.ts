import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type CheckSnapshot, ConfigSchema, HeartbeatStore } from "@vigil/orchestrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PushUrlsResponse } from "../../lib/contract-push.ts";
import { realEngine } from "../adapters/engine.ts";
import { createVigilServer, type VigilServer } from "../app.ts";
import { MemoryStore } from "../testing/memory-store.ts";
import { createPushReceiver, PUSH_MAX_BODY, parseKind } from "./push.ts";

/*
 * Push checks end to end without Next: the real engine polls a push check while jobs report with
 * the real `curl` (the one-liners the README documents). History goes to the in-memory store —
 * storing results is not what this test is about.
 */

const run = promisify(execFile);
const curl = async (...args: string[]) => (await run("curl", ["-sS", "-m", "10", ...args])).stdout;
const status = async (...args: string[]) =>
  Number(await curl("-o", "/dev/null", "-w", "%{http_code}", ...args));

let server: VigilServer;
let stateDir: string;
const logs: string[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "vigil-push-"));
  const config = ConfigSchema.parse({
    project: `pushtest${process.pid}`,
    defaults: { check: { interval: "100ms", timeout: "1s", failure_threshold: 1 } },
    services: {
      backup: { kind: "external", checks: [{ kind: "push", name: "nightly", period: "1h" }] },
    },
  });
  server = await createVigilServer({
    config,
    engine: realEngine,
    store: new MemoryStore(),
    stateDir,
    host: "127.0.0.1",
    port: 0,
    next: false,
    pushKey: "test-push-key",
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await server?.close({ timeoutMs: 10_000 });
  rmSync(stateDir, { recursive: true, force: true });
});

async function pushUrl(): Promise<string> {
  const res = await fetch(`${server.url}/api/services/backup/push`);
  const { checks } = PushUrlsResponse.parse(await res.json());
  expect(checks.map((c) => c.check)).toEqual(["nightly"]);
  return `${server.url}${checks[0]?.path}`;
}

/** The push check's latest result once `done` holds (the check runs every 100 ms; bounded wait). */
async function nightly(done: (last: NonNullable<CheckSnapshot["last"]>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const last = server.engine.snapshot().find((s) => s.name === "backup")?.checks[0]?.last;
    if (last && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the push check never reached the expected result");
}

describe("push URLs with curl against the real server and engine", () => {
  it("a start and a success with curl make the check healthy with the run's duration", async () => {
    const url = await pushUrl();
    expect(await nightly((last) => last.message === "waiting for the first ping")).toMatchObject({
      status: "healthy",
    });
    expect(await curl("-X", "POST", `${url}/start`)).toBe("OK\n");
    await nightly((last) => last.message.startsWith("running since"));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await curl("--data-binary", "backup done: 42 files", url)).toBe("OK\n");
    const ok = await nightly((last) => last.message.startsWith("last success at"));
    expect(ok.status).toBe("healthy");
    expect(ok.values?.duration_ms).toBeGreaterThanOrEqual(100);
  });

  it("an exit code and the last log lines from a failing script make it unhealthy", async () => {
    const url = await pushUrl();
    // The documented one-liner: run the job, send its exit code and the tail of its output.
    const script = `out=$(sh -c 'echo step 1; echo "error: disk full" >&2; exit 3' 2>&1); code=$?; printf '%s' "$out" | tail -n 20 | curl -fsS -m 10 --data-binary @- "${url}/$code"`;
    expect((await run("sh", ["-c", script])).stdout).toBe("OK\n");
    const failed = await nightly((last) => last.status === "unhealthy");
    expect(failed.message).toMatch(/^last run failed with exit code 3 at .*: error: disk full$/);
    expect(await curl("-X", "POST", `${url}/0`)).toBe("OK\n");
    await nightly((last) => last.status === "healthy");
  });

  it("never acts on a GET, refuses unknown tokens and oversized bodies, and shows the token in no log or result", async () => {
    const url = await pushUrl();
    const token = url.split("/").pop() ?? "";
    expect(await status(url)).toBe(405);
    expect(await status("-X", "POST", `${server.url}/api/push/not-a-real-token`)).toBe(404);
    expect(await status("-X", "POST", `${url}/999`)).toBe(404);
    const big = "x".repeat(PUSH_MAX_BODY + 1);
    expect(await status("--data-binary", big, `${url}/fail`)).toBe(413);
    // None of those counted: the check is still healthy from the previous success.
    const last = await nightly(() => true);
    expect(last.status).toBe("healthy");
    expect(logs.some((line) => line.includes(token))).toBe(false);
    expect(JSON.stringify(server.engine.snapshot())).not.toContain(token);
  });
});

describe("push receiver limits", () => {
  let http: Server;
  let base: string;
  const store = new HeartbeatStore();
  const targets = new Map([["tok", { service: "s", check: "c" }]]);

  beforeAll(async () => {
    const receive = createPushReceiver({ heartbeats: store, targets: () => targets, perMinute: 3 });
    http = createServer((req, res) => {
      void receive(req, res).then((handled) => handled || res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const address = http.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  it("rate-limits pings per check with Retry-After", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await fetch(`${base}/api/push/tok`, { method: "POST" })).status);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${base}/api/push/tok`, { method: "POST" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(store.get("s", "c")?.pings).toBe(3);
  });

  it("reads start, fail, success and exit codes from the path", () => {
    expect([
      parseKind(undefined),
      parseKind("start"),
      parseKind("fail"),
      parseKind("0"),
      parseKind("2"),
    ]).toEqual([
      { kind: "success" },
      { kind: "start" },
      { kind: "fail" },
      { kind: "success", exitCode: 0 },
      { kind: "fail", exitCode: 2 },
    ]);
    expect(parseKind("256")).toBeUndefined();
  });
});
