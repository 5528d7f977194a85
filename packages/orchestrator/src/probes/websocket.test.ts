import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { closedPort } from "../testing/http-server.ts";
import { startMuteServer } from "../testing/mute-server.ts";
import { selfSigned } from "../testing/self-signed.ts";
import { runCheck } from "./run.ts";
import { WebsocketCheck } from "./websocket.ts";

const TOKEN = "Bearer tok-8c1f2e9a7b";

/** A real ws server on port 0: /echo echoes, /mute never answers, /push greets, others need the token. */
async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({
    port: 0,
    host: "127.0.0.1",
    handleProtocols: (protocols) => (protocols.has("vigil.v1") ? "vigil.v1" : false),
    verifyClient: ({ req }: { req: IncomingMessage }) =>
      req.url !== "/private" || req.headers.authorization === TOKEN,
  });
  wss.on("connection", (socket, req) => {
    if (req.url === "/push") socket.send("hello from the server");
    socket.on("message", (data) => {
      if (req.url === "/echo" || req.url === "/private") socket.send(`echo: ${data.toString()}`);
    });
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

describe("websocket check parsing", () => {
  it("needs a ws:// or wss:// URL", () => {
    expect(WebsocketCheck.safeParse({ kind: "websocket", url: "http://x" }).error?.issues[0]?.message).toBe(
      "use a ws:// or wss:// URL",
    );
    expect(WebsocketCheck.parse({ kind: "websocket", url: "wss://x/y" })).toMatchObject({ headers: {} });
    const noSend = WebsocketCheck.safeParse({
      kind: "websocket",
      url: "ws://x",
      expect: { round_trip_ms: "< 9" },
    });
    expect(noSend.error?.issues[0]).toMatchObject({
      path: ["expect", "round_trip_ms"],
      message: "round_trip_ms needs a message to send",
    });
  });
});

describe("websocket probe on a real ws server", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("upgrades, with the subprotocol it asked for", async () => {
    const spec = WebsocketCheck.parse({
      kind: "websocket",
      url: `${server.url}/echo`,
      subprotocol: "vigil.v1",
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: "healthy", message: `${server.url}/echo: upgraded (vigil.v1)` });
  });

  it("times a message round trip and checks the answer", async () => {
    const spec = WebsocketCheck.parse({
      kind: "websocket",
      url: `${server.url}/echo`,
      send: "ping",
      expect: { contains: "echo: ping", round_trip_ms: ">= 0" },
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: "healthy", details: { answer: "echo: ping" } });
    expect(result.values?.round_trip_ms).toBeGreaterThanOrEqual(0);
  });

  it("waits for a message the server pushes, which is no round trip", async () => {
    const spec = WebsocketCheck.parse({
      kind: "websocket",
      url: `${server.url}/push`,
      expect: { contains: "hello" },
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result.status).toBe("healthy");
    expect(result.values).toBeUndefined();
  });

  it("is unhealthy on an unexpected answer", async () => {
    const spec = WebsocketCheck.parse({
      kind: "websocket",
      url: `${server.url}/echo`,
      send: "ping",
      expect: { contains: "pong" },
    });
    const result = await runCheck(spec, { timeoutMs: 10_000 });
    expect(result).toMatchObject({
      status: "unhealthy",
      message: `${server.url}/echo: answer "echo: ping" lacks "pong"`,
    });
  });

  it("is unhealthy when the upgrade is refused, and never shows the token", async () => {
    const wrong = WebsocketCheck.parse({
      kind: "websocket",
      url: `${server.url}/private`,
      headers: { Authorization: `${TOKEN}-wrong` },
    });
    const refused = await runCheck(wrong, { timeoutMs: 10_000 });
    expect(refused).toMatchObject({
      status: "unhealthy",
      message: `${server.url}/private: upgrade refused: HTTP 401 Unauthorized`,
    });
    expect(JSON.stringify(refused)).not.toContain("tok-8c1f2e9a7b");
    const right = WebsocketCheck.parse({
      kind: "websocket",
      url: `${server.url}/private`,
      headers: { Authorization: TOKEN },
      send: "hi",
    });
    expect((await runCheck(right, { timeoutMs: 10_000 })).status).toBe("healthy");
  });

  it("gives up on a server that opens and never answers, without holding up another check", async () => {
    const silent = WebsocketCheck.parse({ kind: "websocket", url: `${server.url}/mute`, send: "ping" });
    const mute = await startMuteServer();
    try {
      const [noAnswer, noUpgrade, fine] = await Promise.all([
        runCheck(silent, { timeoutMs: 400 }),
        runCheck(WebsocketCheck.parse({ kind: "websocket", url: `ws://127.0.0.1:${mute.port}/` }), {
          timeoutMs: 400,
        }),
        runCheck(WebsocketCheck.parse({ kind: "websocket", url: `${server.url}/echo` }), {
          timeoutMs: 10_000,
        }),
      ]);
      expect(noAnswer).toMatchObject({ status: "unhealthy", message: "timed out after 400ms" });
      expect(noUpgrade).toMatchObject({ status: "unhealthy", message: "timed out after 400ms" });
      expect(fine.status).toBe("healthy");
    } finally {
      await mute.close();
    }
  });

  it("is unhealthy when the server is down", async () => {
    const port = await closedPort();
    const down = await runCheck(WebsocketCheck.parse({ kind: "websocket", url: `ws://127.0.0.1:${port}/` }), {
      timeoutMs: 10_000,
    });
    expect(down.status).toBe("unhealthy");
    expect(down.message).toContain("ECONNREFUSED");
  });
});

describe("websocket probe over TLS (wss) on a real server with a self-signed certificate", () => {
  it("trusts the certificate only with its CA, or when told to accept any", async () => {
    const cert = await selfSigned();
    const dir = await mkdtemp(join(tmpdir(), "vigil-wss-test-"));
    const caFile = join(dir, "ca.pem");
    await writeFile(caFile, cert.cert);
    const https = createHttpsServer({ key: cert.key, cert: cert.cert });
    const wss = new WebSocketServer({ server: https });
    wss.on("connection", (socket) => socket.on("message", (data) => socket.send(data.toString())));
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/`;
    try {
      const trusted = await runCheck(
        WebsocketCheck.parse({
          kind: "websocket",
          url,
          send: "hi",
          tls: { ca: caFile },
          expect: { contains: "hi" },
        }),
        { timeoutMs: 10_000 },
      );
      expect(trusted.status).toBe("healthy");
      const untrusted = await runCheck(WebsocketCheck.parse({ kind: "websocket", url }), {
        timeoutMs: 10_000,
      });
      expect(untrusted.status).toBe("unhealthy");
      expect(untrusted.message).toContain("self-signed certificate");
      const insecure = await runCheck(
        WebsocketCheck.parse({ kind: "websocket", url, tls: { insecure: true } }),
        {
          timeoutMs: 10_000,
        },
      );
      expect(insecure.status).toBe("healthy");
    } finally {
      for (const client of wss.clients) client.terminate();
      wss.close();
      https.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
