import { readFile } from "node:fs/promises";
import {
  type ChannelCredentials,
  type Client,
  credentials,
  status as grpcStatus,
  makeGenericClientConstructor,
  type ServiceDefinition,
  type ServiceError,
} from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { errorText, verdict } from "./support/result.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe, ProbeResult } from "./types.ts";

export const GrpcCheck = z
  .strictObject({
    kind: z.literal("grpc"),
    ...checkPolicy,
    address: z
      .string()
      .regex(/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/, 'use "host:port" like "127.0.0.1:50051"')
      .describe('"host:port" of the gRPC server.'),
    service: z
      .string()
      .default("")
      .describe('The grpc.health.v1 service name to ask about; "" is the whole server.'),
    tls: z.boolean().default(false).describe("Connect with TLS (system roots plus ca_file)."),
    ca_file: z.string().min(1).optional().describe("PEM file of extra CA certificates to trust."),
  })
  .describe("gRPC health check (grpc.health.v1.Health/Check) for the server or one service.");
export type GrpcCheckSpec = z.output<typeof GrpcCheck>;

/** The generic client for grpc.health.v1.Health, built once from the package's own proto. */
const HealthClient = makeGenericClientConstructor(
  healthService as unknown as ServiceDefinition,
  "grpc.health.v1.Health",
);

type CheckCall = (
  request: { service: string },
  options: { deadline: number },
  callback: (error: ServiceError | null, response?: { status?: string }) => void,
) => { cancel(): void };

export const grpcProbe: Probe<GrpcCheckSpec> = (spec, ctx) => {
  const target = `${spec.address}${spec.service === "" ? "" : ` (${spec.service})`}`;
  return withClient<Client>(
    ctx,
    {
      where: target,
      open: async (_signal, adopt) => {
        // One attempt: a probe reports what it sees now, retries are the check policy's job.
        const client = new HealthClient(spec.address, await channelCredentials(spec), {
          "grpc.enable_retries": 0,
        });
        adopt(client);
        return client;
      },
      close: (client) => client.close(),
    },
    async (client, step) => {
      try {
        return judgeGrpc(target, await step(check(client, spec.service, ctx.signal, ctx.timeoutMs)));
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return grpcFailure(target, error);
      }
    },
  );
};

function check(client: Client, service: string, signal: AbortSignal, timeoutMs: number): Promise<string> {
  const call = (client as unknown as { Check: CheckCall }).Check.bind(client);
  return new Promise((resolve, reject) => {
    const pending = call({ service }, { deadline: Date.now() + timeoutMs }, (error, response) => {
      signal.removeEventListener("abort", cancel);
      if (error) reject(error);
      else resolve(response?.status ?? "UNKNOWN");
    });
    const cancel = () => pending.cancel();
    signal.addEventListener("abort", cancel, { once: true });
  });
}

/** Maps a served status to a verdict; pure. */
export function judgeGrpc(target: string, status: string): ProbeResult {
  const details = { servingStatus: status };
  if (status === "SERVING") return verdict("healthy", `${target}: SERVING`, details);
  return verdict("unhealthy", `${target}: ${status}`, details);
}

/** An RPC failure said in the terms of the health protocol where it has them. */
export function grpcFailure(target: string, error: unknown): ProbeResult {
  const code = (error as Partial<ServiceError>).code;
  const details = code === undefined ? undefined : { grpcCode: grpcStatus[code] };
  if (code === grpcStatus.NOT_FOUND)
    return verdict("unhealthy", `${target}: service unknown to the server`, details);
  if (code === grpcStatus.UNIMPLEMENTED) {
    return verdict("unhealthy", `${target}: the server has no grpc.health.v1 service`, details);
  }
  const text = (error as Partial<ServiceError>).details || errorText(error);
  return verdict(
    "unhealthy",
    `${target}: ${code === undefined ? "" : `${grpcStatus[code]}: `}${text}`,
    details,
  );
}

async function channelCredentials(spec: GrpcCheckSpec): Promise<ChannelCredentials> {
  if (!spec.tls) return credentials.createInsecure();
  const ca = spec.ca_file === undefined ? null : await readFile(spec.ca_file);
  return credentials.createSsl(ca);
}

export const grpc: CheckKindDef<GrpcCheckSpec> = { schema: GrpcCheck, probe: grpcProbe };
