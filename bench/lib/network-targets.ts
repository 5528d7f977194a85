import type { AddressInfo } from "node:net";
import { createServer } from "node:tls";
import { HeartbeatStore } from "../../packages/orchestrator/src/index.ts";
import { createTestCa } from "../../packages/orchestrator/src/testing/certs.ts";
import { startDnsmasq } from "../../packages/orchestrator/src/testing/dnsmasq.ts";
import { startGrpcHealthServer } from "../../packages/orchestrator/src/testing/grpc-health-server.ts";
import type { Cleanup } from "./cleanup.ts";

/** Owner of the push check in the mixed-kind step (push probes look their pings up by it). */
export const PUSH_OWNER = { service: "bench", check: "push" } as const;

export interface NetworkTargets {
  /** Check specs by kind: tls, dns, grpc, push. */
  specs: Record<string, unknown>;
  /** Holds one success for PUSH_OWNER, so the push check reads a healthy job. */
  heartbeats: HeartbeatStore;
}

/**
 * Real loopback servers for the dns, tls and grpc kinds (the same ones their tests start): a TLS
 * server with a certificate from a throwaway openssl CA, dnsmasq as a child, a gRPC server with
 * grpc.health.v1. Each is stopped by `cleanup`.
 */
export async function startNetworkTargets(cleanup: Cleanup): Promise<NetworkTargets> {
  const ca = await createTestCa();
  cleanup.add("test CA", () => ca.close());
  const tls = createServer(await ca.issue(["localhost"], { from: -1, to: 90 }));
  tls.on("secureConnection", (socket) => socket.end());
  tls.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
  cleanup.add("TLS server", () => new Promise((resolve) => tls.close(resolve)));

  const dns = await startDnsmasq(["--local=/test/", "--address=/a.test/10.0.0.1"]);
  cleanup.add("dnsmasq", () => dns.close());

  const grpc = await startGrpcHealthServer({ "": "SERVING" });
  cleanup.add("gRPC server", () => grpc.close());

  const heartbeats = new HeartbeatStore();
  heartbeats.record(PUSH_OWNER.service, PUSH_OWNER.check, { kind: "success" });
  return {
    heartbeats,
    specs: {
      tls: {
        kind: "tls",
        host: "127.0.0.1",
        port: (tls.address() as AddressInfo).port,
        servername: "localhost",
        ca_file: ca.caFile,
      },
      dns: { kind: "dns", query: "a.test", server: dns.server, expect: { answers: ["10.0.0.1"] } },
      grpc: { kind: "grpc", address: grpc.address },
      push: { kind: "push", period: "1h" },
    },
  };
}
