import { type AddressInfo, createServer, type Socket } from "node:net";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGrpcHealthServer, type TestGrpcServer } from "../testing/grpc-health-server.ts";
import { closedPort } from "../testing/http-server.ts";
import { GrpcCheck, grpcFailure, judgeGrpc } from "./grpc.ts";
import { runCheck } from "./run.ts";

describe("grpc check parsing and result mapping", () => {
  it("needs host:port and defaults to the whole server", () => {
    expect(GrpcCheck.parse({ kind: "grpc", address: "127.0.0.1:50051" })).toMatchObject({
      service: "",
      tls: false,
    });
    expect(GrpcCheck.parse({ kind: "grpc", address: "[::1]:50051" }).address).toBe("[::1]:50051");
    const bad = GrpcCheck.safeParse({ kind: "grpc", address: "http://127.0.0.1" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('use "host:port" like "127.0.0.1:50051"');
  });

  it("maps served statuses and RPC failures", () => {
    expect(judgeGrpc("t", "SERVING")).toMatchObject({ status: "healthy", message: "t: SERVING" });
    expect(judgeGrpc("t", "NOT_SERVING")).toMatchObject({ status: "unhealthy", message: "t: NOT_SERVING" });
    expect(grpcFailure("t", { code: status.NOT_FOUND, details: "" }).message).toBe(
      "t: service unknown to the server",
    );
    expect(grpcFailure("t", { code: status.UNAVAILABLE, details: "No connection established" }).message).toBe(
      "t: UNAVAILABLE: No connection established",
    );
  });
});

describe("grpc probe against a real gRPC server with grpc.health.v1", () => {
  let server: TestGrpcServer;
  let address: string;
  const run = (over: Record<string, unknown>, timeoutMs = 5000) =>
    runCheck(GrpcCheck.parse({ kind: "grpc", address, ...over }), { timeoutMs });

  beforeAll(async () => {
    server = await startGrpcHealthServer({
      "": "SERVING",
      "shop.Orders": "SERVING",
      "shop.Billing": "NOT_SERVING",
    });
    address = server.address;
  });
  afterAll(() => server.close());

  it("is healthy for SERVING, per service name, and follows a status change", async () => {
    expect(await run({})).toMatchObject({ status: "healthy", message: `${address}: SERVING` });
    expect(await run({ service: "shop.Orders" })).toMatchObject({ status: "healthy" });
    const billing = await run({ service: "shop.Billing" });
    expect(billing).toMatchObject({ status: "unhealthy", message: `${address} (shop.Billing): NOT_SERVING` });
    server.health.setStatus("shop.Billing", "SERVING");
    expect((await run({ service: "shop.Billing" })).status).toBe("healthy");
  });

  it("is unhealthy for an unknown service and for a server that is down", async () => {
    const unknown = await run({ service: "shop.Nope" });
    expect(unknown).toMatchObject({ status: "unhealthy", details: { grpcCode: "NOT_FOUND" } });
    expect(unknown.message).toBe(`${address} (shop.Nope): service unknown to the server`);
    const down = await run({ address: `127.0.0.1:${await closedPort()}` });
    expect(down).toMatchObject({ status: "unhealthy", details: { grpcCode: "UNAVAILABLE" } });
  });

  it("is unhealthy for a gRPC server without the health service", async () => {
    const bare = await startGrpcHealthServer({}, { withHealth: false });
    try {
      const result = await run({ address: bare.address });
      expect(result).toMatchObject({ status: "unhealthy", details: { grpcCode: "UNIMPLEMENTED" } });
      expect(result.message).toBe(`${bare.address}: the server has no grpc.health.v1 service`);
    } finally {
      await bare.close();
    }
  });

  it("cuts a hung server (accepts, never speaks HTTP/2) at the timeout, without holding up another check", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      // A hung server never holds up another grpc check running beside it.
      const order: string[] = [];
      const [hung, ok] = await Promise.all([
        run({ address: `127.0.0.1:${port}` }, 1500).finally(() => order.push("hung")),
        run({}).finally(() => order.push("ok")),
      ]);
      expect(hung.status).toBe("unhealthy");
      expect(hung.message).toMatch(/timed out after 1500ms|DEADLINE_EXCEEDED/);
      expect(ok.status).toBe("healthy");
      expect(order).toEqual(["ok", "hung"]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
