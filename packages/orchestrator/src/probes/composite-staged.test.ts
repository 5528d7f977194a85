import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, startHttpServer, type TestServer } from "../testing/http-server.ts";
import { CheckSchema, type CheckSpec } from "./registry.ts";
import { runCheck } from "./run.ts";

let ok: TestServer;
let hang: TestServer;
let closed: number;
beforeAll(async () => {
  ok = await startHttpServer((_req, res) => res.end("ok"));
  hang = await startHttpServer(() => {});
  closed = await closedPort();
});
afterAll(async () => {
  await ok.close();
  await hang.close();
});

const spec = (input: unknown): CheckSpec => CheckSchema.parse(input);

describe("composite probe", () => {
  const children = () => [{ kind: "http", url: ok.url }, { kind: "tcp", port: closed }, { kind: "redis" }];

  it("all: fails when any child fails, naming it, with every child's result in details", async () => {
    const result = await runCheck(spec({ kind: "composite", mode: "all", checks: children() }), {
      timeoutMs: 5000,
    });
    expect(result.status).toBe("unhealthy");
    expect(result.message).toMatch(/^2\/3 passing \(all\); tcp: 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    expect(result.details?.children).toMatchObject([
      { name: "http", status: "healthy" },
      { name: "tcp", status: "unhealthy" },
      { name: "redis", status: "healthy" },
    ]);
  });

  it("any and quorum", async () => {
    const any = await runCheck(spec({ kind: "composite", mode: "any", checks: children() }), {
      timeoutMs: 5000,
    });
    expect(any).toMatchObject({ status: "healthy", message: "2/3 passing (any)" });
    const quorum = await runCheck(
      spec({ kind: "composite", mode: "quorum", quorum: 2, checks: children() }),
      {
        timeoutMs: 5000,
      },
    );
    expect(quorum).toMatchObject({ status: "healthy", message: "2/3 passing (quorum 2)" });
    const strict = await runCheck(
      spec({ kind: "composite", mode: "quorum", quorum: 3, checks: children() }),
      {
        timeoutMs: 5000,
      },
    );
    expect(strict.status).toBe("unhealthy");
  });

  it("runs children in parallel: a server answering only when both requests are open passes", async () => {
    const waiting: (() => void)[] = [];
    const barrier = await startHttpServer((_req, res) => {
      waiting.push(() => res.end("ok"));
      if (waiting.length === 2) for (const answer of waiting) answer();
    });
    try {
      const result = await runCheck(
        spec({
          kind: "composite",
          checks: [
            { kind: "http", url: barrier.url },
            { kind: "http", url: `${barrier.url}/2` },
          ],
        }),
        { timeoutMs: 20_000 },
      );
      expect(result).toMatchObject({ status: "healthy", message: "2/2 passing (all)" });
    } finally {
      await barrier.close();
    }
  });

  it("is bounded by the parent's timeout when children hang", async () => {
    const result = await runCheck(
      spec({
        kind: "composite",
        checks: [
          { kind: "http", url: hang.url },
          { kind: "http", url: `${hang.url}/2` },
        ],
      }),
      { timeoutMs: 400 },
    );
    expect(result.status).toBe("unhealthy");
    // Either the parent's deadline or the children's (they get what is left of it) is reported.
    expect(result.message).toMatch(/timed out after \d+ms/);
  });
});

describe("staged probe", () => {
  const stages = (third: unknown) => [
    { name: "process started", check: { kind: "command", command: "true" } },
    { name: "port listening", check: { kind: "tcp", port: ok.port } },
    { name: "API responsive", timeout: 300, check: third },
    { name: "dependencies connected", check: { kind: "redis" } },
    { name: "fully operational", check: { kind: "http", url: ok.url } },
  ];

  it("reports the stage reached and the stage that failed", async () => {
    const result = await runCheck(spec({ kind: "staged", stages: stages({ kind: "http", url: hang.url }) }), {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({
      status: "unhealthy",
      message: 'stage 3/5 "API responsive" failed: timed out after 300ms',
      stage: { reached: "port listening", index: 2, total: 5, failedAt: "API responsive" },
    });
  });

  it("is healthy with the last stage reached when every stage passes", async () => {
    const result = await runCheck(spec({ kind: "staged", stages: stages({ kind: "http", url: ok.url }) }), {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({
      status: "healthy",
      message: "all 5 stages passed",
      stage: { reached: "fully operational", index: 5, total: 5 },
    });
  });
});
