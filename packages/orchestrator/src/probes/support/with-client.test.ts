import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeContext } from "../types.ts";
import { healthy } from "./result.ts";
import { scrubSecrets, withClient } from "./with-client.ts";

// The "client" here is a real TCP socket to a real server that accepts and stays silent.
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ctxFor = (signal: AbortSignal): ProbeContext => ({ signal, timeoutMs: 5000 });
const dial = () =>
  new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });

describe("withClient", () => {
  it("closes the client after the probe's steps, passing their result through", async () => {
    let socket: Socket | undefined;
    const result = await withClient(
      ctxFor(new AbortController().signal),
      { where: "tcp://x", open: dial, close: (s) => s.destroy() },
      async (client) => {
        socket = client;
        return healthy("answered");
      },
    );
    expect(result).toMatchObject({ status: "healthy", message: "answered" });
    expect(socket?.destroyed).toBe(true);
  });

  it("turns a failing step into an unhealthy result with secrets scrubbed, and still closes", async () => {
    let socket: Socket | undefined;
    const result = await withClient(
      ctxFor(new AbortController().signal),
      {
        where: "amqp://host:5672",
        secrets: { urls: ["amqp://guest:s3cretpw@host:5672"], values: ["tok-123456"] },
        open: dial,
        close: (s) => s.destroy(),
      },
      async (client) => {
        socket = client;
        throw new Error("auth failed for guest:s3cretpw with token tok-123456");
      },
    );
    expect(result).toMatchObject({
      status: "unhealthy",
      message: "amqp://host:5672: auth failed for guest:*** with token ***",
    });
    expect(socket?.destroyed).toBe(true);
  });

  it("on abort closes an adopted client at once and rethrows, so runCheck reports the timeout", async () => {
    const controller = new AbortController();
    let adopted: Socket | undefined;
    const run = withClient(
      ctxFor(controller.signal),
      {
        where: "x",
        open: (_signal, adopt) => {
          adopted = connect({ host: "127.0.0.1", port });
          adopt(adopted);
          return new Promise<Socket>(() => {}); // a handshake the silent server never completes
        },
        close: (s: Socket) => s.destroy(),
      },
      async () => healthy("never"),
    );
    setTimeout(() => controller.abort(new Error("timed out")), 50);
    await expect(run).rejects.toThrow("timed out");
    expect(adopted?.destroyed).toBe(true);
  });

  it("closes a client that arrives after the run gave up on it", async () => {
    const controller = new AbortController();
    let deliver: (s: Socket) => void = () => {};
    const late = new Promise<Socket>((resolve) => {
      deliver = resolve;
    });
    const run = withClient(
      ctxFor(controller.signal),
      { where: "x", open: () => late, close: (s: Socket) => s.destroy() },
      async () => healthy("never"),
    );
    controller.abort(new Error("cancelled"));
    await expect(run).rejects.toThrow("cancelled");
    const socket = await dial();
    deliver(socket);
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.destroyed).toBe(true);
  });

  it("scrubs URL passwords (percent-encoded too) and literal secrets", () => {
    const text = scrubSecrets("p@ss and hunter2 here", {
      urls: ["mysql://root:p%40ss@db:3306", undefined],
      values: ["hunter2", "", undefined],
    });
    expect(text).toBe("*** and *** here");
  });
});
