import { afterEach, describe, expect, it } from "vitest";
import { closedPort, json, startHttpServer, type TestServer } from "../testing/http-server.ts";
import { HttpCheck, type HttpCheckSpec } from "./http.ts";
import { runCheck } from "./run.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

const http = (input: Partial<HttpCheckSpec> & { url: string }): HttpCheckSpec =>
  HttpCheck.parse({ kind: "http", ...input });

describe("http probe", () => {
  it("is healthy on an expected status and unhealthy otherwise", async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.url === "/ok" ? 200 : 503);
      res.end("hello");
    });
    const ok = await runCheck(http({ url: `${server.url}/ok` }), { timeoutMs: 5000 });
    expect(ok.status).toBe("healthy");
    expect(ok.message).toBe("HTTP 200");
    expect(ok.latencyMs).toBeGreaterThan(0);
    const bad = await runCheck(http({ url: `${server.url}/bad` }), { timeoutMs: 5000 });
    expect(bad).toMatchObject({ status: "unhealthy", message: "HTTP 503 (expected 200-399)" });
    const listed = await runCheck(
      http({ url: `${server.url}/bad`, expect: { status: [200, "500-503"], json: [] } }),
      {
        timeoutMs: 5000,
      },
    );
    expect(listed.status).toBe("healthy");
  });

  it("sends method, headers and body, and matches body text and regex", async () => {
    const server = await serve((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => res.end(`${req.method} ${req.headers["x-token"]} ${body}`));
    });
    const spec = http({
      url: server.url,
      method: "POST",
      headers: { "x-token": "abc" },
      body: "ping",
      expect: { status: 200, body_contains: "POST abc ping", body_regex: "^POST \\w+", json: [] },
    });
    expect((await runCheck(spec, { timeoutMs: 5000 })).status).toBe("healthy");
    const miss = await runCheck(
      { ...spec, expect: { ...spec.expect, body_contains: "pong" } },
      { timeoutMs: 5000 },
    );
    expect(miss.message).toBe('body does not contain "pong"');
  });

  it("evaluates JSON conditions", async () => {
    const server = await serve((_req, res) => json(res, 200, { status: "healthy", items: [{ n: 2 }] }));
    const pass = await runCheck(
      http({ url: server.url, expect: { status: 200, json: ['$.status == "healthy"'] } }),
      {
        timeoutMs: 5000,
      },
    );
    expect(pass.status).toBe("healthy");
    const fail = await runCheck(
      http({ url: server.url, expect: { status: 200, json: ["$.items[0].n > 3"] } }),
      {
        timeoutMs: 5000,
      },
    );
    expect(fail).toMatchObject({ status: "unhealthy", message: "condition failed: $.items[0].n > 3: got 2" });
  });

  it("reads the standard health document and maps its status", async () => {
    let status = "healthy";
    const server = await serve((_req, res) =>
      json(res, status === "down" ? 503 : 200, {
        status,
        checks: {
          dependencies: { db: { status: "up" }, cache: { status: status === "down" ? "down" : "up" } },
          resources: { cpu: 0.3 },
        },
      }),
    );
    const ok = await runCheck(http({ url: server.url }), { timeoutMs: 5000 });
    expect(ok.status).toBe("healthy");
    expect(ok.details?.health).toMatchObject({ status: "healthy", resources: { cpu: 0.3 } });
    status = "degraded";
    const degraded = await runCheck(http({ url: server.url }), { timeoutMs: 5000 });
    expect(degraded).toMatchObject({ status: "degraded", message: 'health document reports "degraded"' });
    status = "unhealthy";
    expect((await runCheck(http({ url: server.url }), { timeoutMs: 5000 })).status).toBe("unhealthy");
    status = "down";
    const down = await runCheck(http({ url: server.url, expect: { status: [200, 503], json: [] } }), {
      timeoutMs: 5000,
    });
    expect(down).toMatchObject({
      status: "unhealthy",
      message: 'health document reports "down" (failing: cache)',
    });
  });

  it("reports a slow answer as degraded when max_latency is set", async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end("ok"), 300));
    const result = await runCheck(http({ url: server.url, max_latency: 50 }), { timeoutMs: 10_000 });
    expect(result.status).toBe("degraded");
    expect(result.message).toMatch(/^slow: \d+ms > 50ms \(HTTP 200\)$/);
  });

  it("is unhealthy at its timeout when the target hangs", async () => {
    const server = await serve(() => {});
    const result = await runCheck(http({ url: server.url }), { timeoutMs: 300 });
    expect(result).toMatchObject({ status: "unhealthy", message: "timed out after 300ms" });
  });

  it("names the refused connection on a closed port", async () => {
    const port = await closedPort();
    const result = await runCheck(http({ url: `http://127.0.0.1:${port}/health` }), { timeoutMs: 5000 });
    expect(result.status).toBe("unhealthy");
    expect(result.message).toBe(
      `GET http://127.0.0.1:${port}/health: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it("follows redirects, a 303 turning into a GET", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/old") res.writeHead(302, { location: "/form" }).end();
      else if (req.url === "/form") res.writeHead(303, { location: "/landed" }).end();
      else res.end(`${req.method} ${req.url}`);
    });
    const result = await runCheck(
      http({
        url: `${server.url}/old`,
        method: "POST",
        body: "x",
        expect: { status: 200, body_contains: "GET /landed", json: [] },
      }),
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ status: "healthy", message: "HTTP 200" });
  });

  it("keeps connections alive across checks of the same origin", async () => {
    const sockets = new Set<unknown>();
    const server = await serve((req, res) => {
      sockets.add(req.socket);
      res.end("ok");
    });
    for (let i = 0; i < 6; i++) {
      expect((await runCheck(http({ url: `${server.url}/${i}` }), { timeoutMs: 5000 })).status).toBe(
        "healthy",
      );
    }
    expect(server.hits).toBe(6);
    // A check sent the instant the previous answer ended can find that connection not yet back
    // in the pool and open a second one; never one per check.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it("reads no body on HEAD and judges only the status", async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.method === "HEAD" ? 204 : 500, { "content-length": "5" });
      res.end(req.method === "HEAD" ? undefined : "wrong");
    });
    const result = await runCheck(http({ url: server.url, method: "HEAD" }), { timeoutMs: 5000 });
    expect(result).toMatchObject({ status: "healthy", message: "HTTP 204" });
  });

  it("stops reading a body past 1 MiB and still judges what it read", async () => {
    const server = await serve((_req, res) => {
      res.write("start ");
      const chunk = "x".repeat(64 * 1024);
      // 4 MiB, with the text the check looks for only at the end: beyond what the probe reads.
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end(" end");
    });
    const found = await runCheck(
      http({ url: server.url, expect: { status: 200, body_contains: "start", json: [] } }),
      { timeoutMs: 5000 },
    );
    expect(found.status).toBe("healthy");
    const beyond = await runCheck(
      http({ url: server.url, expect: { status: 200, body_contains: " end", json: [] } }),
      { timeoutMs: 5000 },
    );
    expect(beyond).toMatchObject({ status: "unhealthy", message: 'body does not contain " end"' });
  });

  it("never prints URL credentials", async () => {
    const port = await closedPort();
    const result = await runCheck(http({ url: `http://bob:s3cr3t@127.0.0.1:${port}/` }), { timeoutMs: 5000 });
    expect(result.message).not.toContain("s3cr3t");
    expect(result).toMatchObject({
      status: "unhealthy",
      message: expect.stringContaining("credentials in the URL"),
    });
  });
});
