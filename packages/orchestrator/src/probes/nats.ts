import { connect, type NatsConnection } from "nats";
import type { NatsCheckSpec } from "../config/schema.ts";
import { errorText, healthy, safeUrl, unhealthy, whenAborted } from "./result.ts";
import type { Probe } from "./types.ts";

export const natsProbe: Probe<NatsCheckSpec> = async (spec, ctx) => {
  const servers = Array.isArray(spec.servers) ? spec.servers : [spec.servers];
  const where = servers.map(safeUrl).join(", ");
  let nc: NatsConnection | undefined;
  const close = () => void nc?.close().catch(() => {});
  ctx.signal.addEventListener("abort", close, { once: true });
  try {
    const connecting = connect({
      servers,
      timeout: ctx.timeoutMs,
      reconnect: false,
      maxReconnectAttempts: 0,
    });
    // If we give up while still connecting, close the connection once it arrives.
    connecting.then((c) => ctx.signal.aborted && void c.close().catch(() => {})).catch(() => {});
    nc = await Promise.race([connecting, whenAborted(ctx.signal)]);
    await Promise.race([nc.flush(), whenAborted(ctx.signal)]);
    const details: Record<string, unknown> = { server: nc.info?.server_name, version: nc.info?.version };
    if (!spec.jetstream) return healthy(`${where}: connected, flush ok`, details);
    const jsm = await Promise.race([nc.jetstreamManager(), whenAborted(ctx.signal)]);
    const account = await Promise.race([jsm.getAccountInfo(), whenAborted(ctx.signal)]);
    details.jetstream = { streams: account.streams, consumers: account.consumers, storage: account.storage };
    return healthy(`${where}: connected, JetStream ok (${account.streams} streams)`, details);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return unhealthy(`${where}: ${errorText(error)}`);
  } finally {
    ctx.signal.removeEventListener("abort", close);
    close();
  }
};
