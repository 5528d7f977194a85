import { createAdapter as postgresAdapter } from "@socket.io/postgres-adapter";
import { createAdapter as redisStreamsAdapter } from "@socket.io/redis-streams-adapter";
import type { Db } from "@vigil/db";
import { Redis } from "ioredis";
import type { Server } from "socket.io";
import { errorMessage } from "../async.ts";

/*
 * The Socket.IO adapter that carries a broadcast (`io.emit`) to the browsers of every instance:
 * the official Postgres adapter (LISTEN/NOTIFY on the app's pool; payloads over NOTIFY's 8,000
 * bytes go through the socket_io_attachments table) or, with REDIS_URL, the official Redis
 * streams adapter. What only this instance should send (its own status deltas, its store's
 * health) goes out with `io.local`, so no browser gets it twice.
 */

export interface ClusterAdapterOptions {
  pool: Db["pool"];
  /** REDIS_URL: use Redis streams instead of Postgres NOTIFY. */
  redisUrl: string | undefined;
  /**
   * Names this cluster's stream and channels in Redis, which other clusters may share (NOTIFY
   * channels are per database already). The same on every member, different across clusters.
   */
  clusterId: string;
  log: (line: string) => void;
}

export interface AttachedAdapter {
  kind: "postgres" | "redis-streams";
  close(): Promise<void>;
}

// Errors repeat every retry while the backend is down; one line per distinct message is enough.
function onceEach(log: (line: string) => void, what: string): (err: Error) => void {
  let last = "";
  return (err) => {
    const message = errorMessage(err);
    if (message === last) return;
    last = message;
    log(`cluster: ${what}: ${message} (broadcasts reach this instance's browsers only until it is back)`);
  };
}

export function attachClusterAdapter(io: Server, opts: ClusterAdapterOptions): AttachedAdapter {
  if (opts.redisUrl) {
    const redis = new Redis(opts.redisUrl);
    redis.on("error", onceEach(opts.log, "Redis adapter"));
    const prefix = `vigil:${opts.clusterId}:socket.io`;
    io.adapter(
      redisStreamsAdapter(redis, { streamName: prefix, channelPrefix: prefix, onlyPlaintext: true }),
    );
    return {
      kind: "redis-streams",
      async close() {
        redis.disconnect();
      },
    };
  }
  io.adapter(postgresAdapter(opts.pool, { errorHandler: onceEach(opts.log, "Postgres adapter") }));
  return {
    kind: "postgres",
    // io.close() closes the adapters, which gives the LISTEN connection back to the pool.
    async close() {},
  };
}
