import { Redis } from "ioredis";
import { z } from "zod";
import { checkPolicy } from "./support/policy.ts";
import { healthy, safeUrl, unhealthy } from "./support/result.ts";
import { withClient } from "./support/with-client.ts";
import type { CheckKindDef, Probe } from "./types.ts";

export const RedisCheck = z
  .strictObject({
    kind: z.literal("redis"),
    ...checkPolicy,
    url: z
      .string()
      .default("redis://127.0.0.1:6379")
      .describe("redis://[:password@]host:port[/db] (the password never appears in results)."),
    /** When set, the key must exist. */
    key: z.string().optional().describe("When set, this key must exist."),
  })
  .describe("PINGs Redis, optionally requiring a key.");

export type RedisCheckSpec = z.output<typeof RedisCheck>;

export const redisProbe: Probe<RedisCheckSpec> = (spec, ctx) => {
  const where = safeUrl(spec.url);
  return withClient<Redis>(
    ctx,
    {
      where,
      secrets: { urls: [spec.url] },
      open: async (_signal, adopt) => {
        // One attempt, no offline queue, no reconnects: a probe reports what it sees, it does not retry.
        const client = new Redis(spec.url, {
          lazyConnect: true,
          connectTimeout: ctx.timeoutMs,
          commandTimeout: ctx.timeoutMs,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: () => null,
        });
        client.on("error", () => {});
        adopt(client);
        await client.connect();
        return client;
      },
      close: (client) => client.disconnect(),
    },
    async (client, step) => {
      const pong = await step(client.ping());
      if (spec.key === undefined) return healthy(`${where}: ${pong}`);
      const exists = await step(client.exists(spec.key));
      return exists === 1
        ? healthy(`${where}: ${pong}, key ${JSON.stringify(spec.key)} exists`)
        : unhealthy(`${where}: key ${JSON.stringify(spec.key)} does not exist`);
    },
  );
};

export const redis: CheckKindDef<RedisCheckSpec> = { schema: RedisCheck, probe: redisProbe };
