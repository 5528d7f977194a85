import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, fetchJson, lazy } from "./api";

/*
 * The board's REST answers are checked by schemas loaded with import() after first paint: a
 * wrong answer must still be refused, and a page whose schema module cannot load must say so.
 * A real HTTP server answers; its body is chosen by the path.
 */

const answers: Record<string, [number, unknown]> = {
  "/ok": [200, { ok: true }],
  "/wrong": [200, { ok: "yes" }],
  "/refused": [409, { error: { code: "conflict", message: "action a1 can no longer be cancelled" } }],
};

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = answers[req.url ?? ""] ?? [404, null];
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const schemas = () => import("./schemas");

describe("fetchJson with a schema loaded after first paint", () => {
  it("returns an answer the schema accepts", async () => {
    await expect(fetchJson(`${base}/ok`, lazy(schemas, "Ok"))).resolves.toEqual({ ok: true });
  });

  it("refuses an answer the schema does not accept", async () => {
    await expect(fetchJson(`${base}/wrong`, lazy(schemas, "Ok"))).rejects.toMatchObject({
      message: `unexpected answer from ${base}/wrong`,
      code: "internal",
    });
  });

  it("reports the server's error body, read with the lazily loaded ErrorBody", async () => {
    const err = await fetchJson(`${base}/refused`, lazy(schemas, "Ok")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      message: "action a1 can no longer be cancelled",
      status: 409,
      code: "conflict",
    });
  });

  it("uses no answer when its schema cannot be loaded (an outdated page)", async () => {
    const gone = Promise.reject(new Error("Failed to load chunk /_next/static/chunks/gone.js"));
    await expect(
      fetchJson(
        `${base}/ok`,
        lazy(() => gone, "Ok"),
      ),
    ).rejects.toMatchObject({ code: "outdated" });
  });
});
