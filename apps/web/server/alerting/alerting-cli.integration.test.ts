import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authDatabase } from "../auth/testing/db.ts";
import { type ServerProcess, serverUrl, startServer, until, vigil } from "../control/testing/processes.ts";

/*
 * `vigil silence` and `vigil alerts test` end to end with real parts: the server process
 * (server.ts, headless) with alerting on, the `vigil` binary finding it through the state
 * directory, a throwaway database on the real Postgres, and real webhook receivers on port 0 —
 * one that accepts and one that refuses (400).
 */

const dir = mkdtempSync(join(tmpdir(), "vigil-alert-cli-"));
const config = join(dir, "vigil.yaml");
const stateDir = join(dir, ".vigil", "state");
let db: Awaited<ReturnType<typeof authDatabase>>;
let server: ServerProcess;
let url: string;
const received: { event: string; title: string }[] = [];
const receivers: Server[] = [];

/** A webhook receiver answering `status`; accepted bodies are recorded. Resolves to its URL. */
async function receiver(status: number): Promise<string> {
  const http = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (status < 300) received.push(JSON.parse(body) as { event: string; title: string });
      res.writeHead(status, { "content-type": "application/json" }).end('{"error":"refused by the test"}');
    });
  });
  receivers.push(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;
}

beforeAll(async () => {
  const ok = await receiver(200);
  const refusing = await receiver(400);
  writeFileSync(
    config,
    `project: alert-cli
services:
  api: { kind: external }
alerting:
  public_url: http://vigil.test
  channels:
    hook: { kind: webhook, url: "${ok}" }
    refusing: { kind: webhook, url: "${refusing}" }
  routes:
    - { channels: [hook] }
`,
  );
  db = await authDatabase();
  server = startServer(config, { DATABASE_URL: db.url, VIGIL_ANONYMOUS_READ: "1" });
  const probe = async () => {
    const found = serverUrl(stateDir);
    return found && (await fetch(`${found}/healthz`)).ok ? found : undefined;
  };
  url = await until("the server to record its URL", probe, 90_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${server.output()}`);
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  for (const r of receivers) {
    r.closeAllConnections();
    await new Promise((resolve) => r.close(resolve));
  }
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const maintenance = async () =>
  ((await (await fetch(`${url}/api/alerts/maintenance`)).json()) as { services: string[] }).services;

describe("vigil silence / vigil alerts test through the running server", () => {
  it("silences a service: it shows as in maintenance", async () => {
    expect(await maintenance()).toEqual([]);
    const run = await vigil(["silence", "api", "1h"], { cwd: dir });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^api: no alerts until \d{4}-\d\d-\d\dT[\d:.]+Z \(shows as maintenance\)/);
    expect(run.out).toContain(`through ${url}`);
    expect(
      await until("api in maintenance", async () =>
        (await maintenance()).includes("api") ? true : undefined,
      ),
    ).toBe(true);
  });

  it("refuses an unknown service and a bad duration with the server's words", async () => {
    const unknown = await vigil(["silence", "nope", "1h"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown service "nope"');
    const tooLong = await vigil(["silence", "api", "30d"], { cwd: dir });
    expect(tooLong.code).toBe(1);
    expect(tooLong.err).toContain("duration: use e.g. 30m or 1h, at most 7d");
  });

  it("sends a test notification and waits until the receiver has it", async () => {
    const run = await vigil(["alerts", "test", "hook"], { cwd: dir });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain(`test notification queued on hook through ${url}`);
    expect(run.out).toMatch(/✓ delivered \(HTTP 200, \d+ ms\)/);
    expect(received.filter((n) => n.event === "test")).toHaveLength(1);
    expect(received[0]?.title).toMatch(/^Test notification from Vigil \(sent by cli:/);
  });

  it("exits 1 with the reason when the channel's receiver refuses, or the channel is unknown", async () => {
    const refused = await vigil(["alerts", "test", "refusing"], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/✗ refusing: failed: /);
    const unknown = await vigil(["alerts", "test", "nope"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no channel "nope"');
  });

  it("says it needs a server when none runs for the config (exit 2)", async () => {
    const lonely = mkdtempSync(join(dir, "lonely-"));
    mkdirSync(join(lonely, ".vigil"));
    writeFileSync(join(lonely, "vigil.yaml"), "project: lonely\nservices:\n  api: { kind: external }\n");
    for (const args of [
      ["silence", "api", "1h"],
      ["alerts", "test", "hook"],
    ]) {
      const run = await vigil(args, { cwd: lonely });
      expect(run.code).toBe(2);
      expect(run.err).toContain("works through a running Vigil server, and none is running for");
    }
  });
});
