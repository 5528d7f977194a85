import { type AddressInfo, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpCheck, NatsCheck, PostgresCheck, RedisCheck, TcpCheck } from "../config/schema.ts";
import { closedPort, startHttpServer } from "../testing/http-server.ts";
import { runCheck } from "./run.ts";

// Real targets started on the machine before each session (see shared/notes/environment.md).
describe("tcp probe", () => {
  it("connects to a listening port and fails on a closed one", async () => {
    const server = await startHttpServer((_req, res) => res.end());
    try {
      const ok = await runCheck(TcpCheck.parse({ kind: "tcp", port: server.port }), { timeoutMs: 5000 });
      expect(ok).toMatchObject({ status: "healthy", message: `connected to 127.0.0.1:${server.port}` });
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const bad = await runCheck(TcpCheck.parse({ kind: "tcp", port }), { timeoutMs: 5000 });
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toContain("ECONNREFUSED");
  });
});

describe("postgres probe", () => {
  it("connects and runs its query on the real Postgres", async () => {
    const spec = PostgresCheck.parse({ kind: "postgres", url: "postgres://127.0.0.1:5432/test" });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result).toMatchObject({
      status: "healthy",
      message: "postgres://127.0.0.1:5432/test: select 1 ok",
    });
  });

  it("reports a failing query and never prints the password", async () => {
    const url = "postgres://postgres:hunter2pw@127.0.0.1:5432/test";
    const bad = await runCheck(PostgresCheck.parse({ kind: "postgres", url, query: "select nope" }), {
      timeoutMs: 10_000,
    });
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).toContain('column "nope" does not exist');
    expect(bad.message).not.toContain("hunter2pw");
    const port = await closedPort();
    const closed = await runCheck(
      PostgresCheck.parse({ kind: "postgres", url: `postgres://u:hunter2pw@127.0.0.1:${port}/x` }),
      { timeoutMs: 10_000 },
    );
    expect(closed.status).toBe("unhealthy");
    expect(closed.message).toContain(`postgres://127.0.0.1:${port}/x`);
    expect(closed.message).not.toContain("hunter2pw");
  });
});

describe("redis probe", () => {
  it("PINGs the real Redis and checks a key", async () => {
    const ok = await runCheck(RedisCheck.parse({ kind: "redis" }), { timeoutMs: 10_000 });
    expect(ok).toMatchObject({ status: "healthy", message: "redis://127.0.0.1:6379: PONG" });
    const missing = await runCheck(RedisCheck.parse({ kind: "redis", key: `vigil:absent:${Date.now()}` }), {
      timeoutMs: 10_000,
    });
    expect(missing.status).toBe("unhealthy");
    expect(missing.message).toMatch(/does not exist$/);
  });

  it("is unhealthy on a closed port", async () => {
    const port = await closedPort();
    const bad = await runCheck(
      RedisCheck.parse({ kind: "redis", url: `redis://:pw123456@127.0.0.1:${port}` }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).not.toContain("pw123456");
  });
});

describe("nats probe", () => {
  it("connects, flushes and reads JetStream account info from the real NATS", async () => {
    const ok = await runCheck(NatsCheck.parse({ kind: "nats", jetstream: true }), { timeoutMs: 10_000 });
    expect(ok.status).toBe("healthy");
    expect(ok.message).toMatch(/^nats:\/\/127\.0\.0\.1:4222: connected, JetStream ok/);
  });

  it("is unhealthy on a closed port", async () => {
    const port = await closedPort();
    const bad = await runCheck(NatsCheck.parse({ kind: "nats", servers: `nats://127.0.0.1:${port}` }), {
      timeoutMs: 10_000,
    });
    expect(bad.status).toBe("unhealthy");
  });
});

describe("runCheck bound", () => {
  it("settles at the timeout when a target accepts connections but never answers", async () => {
    const mute = createServer(() => {});
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const port = (mute.address() as AddressInfo).port;
    try {
      const specs = [
        RedisCheck.parse({ kind: "redis", url: `redis://127.0.0.1:${port}` }),
        NatsCheck.parse({ kind: "nats", servers: `nats://127.0.0.1:${port}` }),
        PostgresCheck.parse({ kind: "postgres", url: `postgres://127.0.0.1:${port}/x` }),
      ];
      const results = await Promise.all(specs.map((spec) => runCheck(spec, { timeoutMs: 500 })));
      for (const result of results) expect(result.status).toBe("unhealthy");
      expect(results[0]?.message).toBe("timed out after 500ms");
    } finally {
      mute.close();
    }
  });

  it("reports a caller's cancellation as cancelled", async () => {
    const silent = await startHttpServer(() => {});
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const hung = await runCheck(HttpCheck.parse({ kind: "http", url: silent.url }), {
        timeoutMs: 60_000,
        signal: controller.signal,
      });
      expect(hung).toMatchObject({ status: "unhealthy", message: "cancelled" });
    } finally {
      await silent.close();
    }
  });
});
