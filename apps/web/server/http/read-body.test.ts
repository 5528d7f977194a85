import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BodyError, readBody } from "./read-body.ts";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** A real HTTP server that answers with what readBody gave or the error's reason. */
async function serve(limits: { maxBytes: number; timeoutMs: number }): Promise<number> {
  server = createServer((req, res) => {
    readBody(req, limits).then(
      (body) => res.writeHead(200).end(`ok:${body}`),
      (err: unknown) =>
        res.writeHead(400, { connection: "close" }).end(err instanceof BodyError ? err.reason : "other"),
    );
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

function post(
  port: number,
  chunks: string[],
  opts: { gapMs?: number; declared?: number } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      method: "POST",
      headers: opts.declared === undefined ? {} : { "content-length": String(opts.declared) },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    (async () => {
      for (const c of chunks) {
        req.write(c);
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
      req.end();
    })();
  });
}

describe("readBody (real HTTP server and client)", () => {
  it("returns a body within the limit", async () => {
    const port = await serve({ maxBytes: 16, timeoutMs: 2000 });
    expect(await post(port, ["hello ", "world"])).toEqual({ status: 200, body: "ok:hello world" });
  });

  it("refuses a body that grows over the limit, and the answer still reaches the client", async () => {
    const port = await serve({ maxBytes: 16, timeoutMs: 2000 });
    expect(await post(port, ["0123456789", "0123456789"])).toEqual({ status: 400, body: "too_large" });
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const port = await serve({ maxBytes: 16, timeoutMs: 2000 });
    const declared = "x".repeat(17);
    expect(await post(port, [declared], { declared: 17 })).toEqual({ status: 400, body: "too_large" });
  });

  it("gives up on a body that does not arrive in time", async () => {
    const port = await serve({ maxBytes: 1024, timeoutMs: 100 });
    expect(await post(port, ["a", "b"], { gapMs: 400 })).toEqual({ status: 400, body: "timeout" });
  });
});
