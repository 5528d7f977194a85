import { Redis } from "ioredis";
import type { RedisCheckSpec } from "../config/schema.ts";
import { errorText, healthy, safeUrl, scrubPassword, unhealthy, whenAborted } from "./result.ts";
import type { Probe } from "./types.ts";

export const redisProbe: Probe<RedisCheckSpec> = async (spec, ctx) => {
  const where = safeUrl(spec.url);
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
  const close = () => client.disconnect();
  ctx.signal.addEventListener("abort", close, { once: true });
  try {
    await Promise.race([client.connect(), whenAborted(ctx.signal)]);
    const pong = await Promise.race([client.ping(), whenAborted(ctx.signal)]);
    if (spec.key === undefined) return healthy(`${where}: ${pong}`);
    const exists = await Promise.race([client.exists(spec.key), whenAborted(ctx.signal)]);
    return exists === 1
      ? healthy(`${where}: ${pong}, key ${JSON.stringify(spec.key)} exists`)
      : unhealthy(`${where}: key ${JSON.stringify(spec.key)} does not exist`);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return unhealthy(`${where}: ${scrubPassword(errorText(error), spec.url)}`);
  } finally {
    ctx.signal.removeEventListener("abort", close);
    close();
  }
};
