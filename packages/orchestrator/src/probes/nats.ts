import { connect } from "nats";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { healthy, safeUrl } from "./support/result.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe } from "./types.ts";

export const NatsCheck = z
  .strictObject({
    kind: z.literal("nats"),
    ...checkPolicy,
    servers: z
      .union([z.string(), z.array(z.string()).min(1)])
      .default("nats://127.0.0.1:4222")
      .describe("Server URL or list of URLs."),
    /** Require JetStream to answer too. */
    jetstream: z.boolean().default(false).describe("Require JetStream to answer too."),
  })
  .describe("Connects to NATS and flushes, optionally reading JetStream account info.");

export type NatsCheckSpec = z.output<typeof NatsCheck>;

export const natsProbe: Probe<NatsCheckSpec> = (spec, ctx) => {
  const servers = Array.isArray(spec.servers) ? spec.servers : [spec.servers];
  const where = servers.map(safeUrl).join(", ");
  return withClient(
    ctx,
    {
      where,
      secrets: { urls: servers },
      // The connection exists only once connected; withClient closes it if it arrives after an abort.
      open: () => connect({ servers, timeout: ctx.timeoutMs, reconnect: false, maxReconnectAttempts: 0 }),
      close: (nc) => nc.close(),
    },
    async (nc, step) => {
      await step(nc.flush());
      const details: Record<string, unknown> = { server: nc.info?.server_name, version: nc.info?.version };
      if (!spec.jetstream) return healthy(`${where}: connected, flush ok`, details);
      const jsm = await step(nc.jetstreamManager());
      const account = await step(jsm.getAccountInfo());
      details.jetstream = {
        streams: account.streams,
        consumers: account.consumers,
        storage: account.storage,
      };
      return healthy(`${where}: connected, JetStream ok (${account.streams} streams)`, details);
    },
  );
};

export const nats: CheckKindDef<NatsCheckSpec> = { schema: NatsCheck, probe: natsProbe };
