import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation, type ServingStatusMap } from "grpc-health-check";

export interface TestGrpcServer {
  /** "127.0.0.1:<port>", as a grpc check's `address`. */
  address: string;
  /** Change a service's status while the server runs. */
  health: HealthImplementation;
  close(): Promise<void>;
}

/**
 * A real gRPC server on 127.0.0.1, port 0, serving grpc.health.v1 with the given statuses — or,
 * with `withHealth: false`, a server that has no health service at all.
 */
export async function startGrpcHealthServer(
  statuses: ServingStatusMap,
  opts: { withHealth?: boolean } = {},
): Promise<TestGrpcServer> {
  const server = new Server();
  const health = new HealthImplementation(statuses);
  if (opts.withHealth !== false) health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    health,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
