import { afterEach, describe, expect, it } from "vitest";
import { closedPort, startHttpServer, type TestServer } from "../../testing/http-server.ts";
import { deliveryContext } from "../../testing/notification.ts";
import { startReceiver } from "../../testing/receiver.ts";
import { parseRetryAfter, sendHttp, truncate } from "./http.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const post = (url: string, timeoutMs = 5000) =>
  sendHttp({ url, headers: { "content-type": "text/plain" }, body: "hi" }, deliveryContext(timeoutMs));

describe("sendHttp classification", () => {
  it("2xx is delivered with status and response text", async () => {
    const server = await startReceiver(() => ({ status: 202, body: { ok: true } }));
    servers.push(server);
    const outcome = await post(`${server.url}/in`);
    expect(outcome).toMatchObject({ ok: true, status: 202, response: '{"ok":true}' });
    expect(server.received[0]).toMatchObject({ method: "POST", path: "/in", body: "hi" });
  });

  it("429 and 5xx are retryable and carry Retry-After (seconds and HTTP date)", async () => {
    const date = new Date(Date.now() + 120_000).toUTCString();
    const server = await startReceiver((_, hit) =>
      hit === 1
        ? { status: 429, headers: { "retry-after": "7" }, body: "slow down" }
        : hit === 2
          ? { status: 503, headers: { "retry-after": date } }
          : { status: 500, body: "boom" },
    );
    servers.push(server);
    expect(await post(server.url)).toMatchObject({
      ok: false,
      status: 429,
      retryable: true,
      retryAfterMs: 7000,
      error: "HTTP 429: slow down",
    });
    const dated = await post(server.url);
    expect(dated).toMatchObject({ ok: false, status: 503, retryable: true });
    const after = dated.ok ? 0 : (dated.retryAfterMs ?? 0);
    expect(after).toBeGreaterThan(100_000);
    expect(after).toBeLessThanOrEqual(120_000);
    expect(await post(server.url)).toMatchObject({
      ok: false,
      status: 500,
      retryable: true,
      error: "HTTP 500: boom",
    });
  });

  it("other 4xx and redirects are not retryable", async () => {
    const server = await startReceiver((req) =>
      req.path === "/moved"
        ? { status: 302, headers: { location: "http://elsewhere.invalid/" } }
        : { status: 400, body: "invalid_payload" },
    );
    servers.push(server);
    expect(await post(server.url)).toMatchObject({ ok: false, status: 400, retryable: false });
    expect(await post(`${server.url}/moved`)).toMatchObject({ ok: false, status: 302, retryable: false });
    expect(server.hits).toBe(2);
  });

  it("a refused connection and a timeout are retryable", async () => {
    const refused = await post(`http://127.0.0.1:${await closedPort()}/`);
    expect(refused).toMatchObject({ ok: false, retryable: true });
    expect(refused.ok ? "" : refused.error).toMatch(/^connection failed: .*ECONNREFUSED/);

    const hanging = await startHttpServer(() => undefined);
    servers.push(hanging);
    expect(await post(hanging.url, 200)).toMatchObject({
      ok: false,
      retryable: true,
      error: "timed out after 200ms",
    });
  });

  it("long response bodies are truncated in the outcome", async () => {
    const server = await startReceiver(() => ({ status: 500, body: "x".repeat(5000) }));
    servers.push(server);
    const outcome = await post(server.url);
    expect(outcome.ok ? "" : outcome.error).toMatch(/^HTTP 500: x{500}… \(4500 more characters\)$/);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-30T15:00:00Z");
  it("reads delay-seconds and HTTP dates, ignores garbage", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("1.5", now)).toBe(1500);
    expect(parseRetryAfter("Mon, 30 Nov 2026 15:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Mon, 30 Nov 2026 14:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
  it("truncate leaves short text alone", () => {
    expect(truncate("  short  ")).toBe("short");
  });
});
