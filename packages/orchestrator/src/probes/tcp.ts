import { connect } from "node:net";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { errorText, healthy, unhealthy } from "./support/result.ts";
import type { CheckKindDef, Probe } from "./types.ts";

export const TcpCheck = z
  .strictObject({
    kind: z.literal("tcp"),
    ...checkPolicy,
    host: z.string().default("127.0.0.1").describe("Host name or address."),
    port: z.number().int().min(1).max(65535).describe("TCP port that must accept a connection."),
  })
  .describe("A TCP connection to host:port.");

export type TcpCheckSpec = z.output<typeof TcpCheck>;

/*
 * The signal is watched by hand, not passed to connect(): net's own signal support keeps its abort
 * listener until the socket's close event, so runCheck's "run finished" abort, which follows every
 * run at once, built a stack-capturing AbortError per check (seen in the probe bench's profile).
 */
export const tcpProbe: Probe<TcpCheckSpec> = (spec, ctx) =>
  new Promise((resolve, reject) => {
    const where = `${spec.host}:${spec.port}`;
    if (ctx.signal.aborted) {
      reject(ctx.signal.reason);
      return;
    }
    const socket = connect({ host: spec.host, port: spec.port });
    const settle = () => {
      ctx.signal.removeEventListener("abort", onAbort);
      socket.destroy();
    };
    const onAbort = () => {
      settle();
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      settle();
      resolve(healthy(`connected to ${where}`));
    });
    socket.once("error", (error) => {
      settle();
      resolve(unhealthy(`${where}: ${errorText(error)}`));
    });
  });

export const tcp: CheckKindDef<TcpCheckSpec> = { schema: TcpCheck, probe: tcpProbe };
