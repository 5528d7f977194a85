import { access, copyFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import { masking } from "../backup/pg-target.ts";
import type { Retention } from "../backup/retention.ts";
import { writeCopy } from "../backup/write-copy.ts";
import { commandTask } from "./command.ts";
import type { JobTask, TaskContext } from "./task.ts";

export interface RedisBackupSpec {
  type: "redis";
  url: string;
  destination: string;
  retention: Retention;
}

const LOCAL = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * BGSAVE, wait for LASTSAVE to move, copy the RDB Redis wrote (found with CONFIG GET dir and
 * dbfilename). A Redis elsewhere, or one whose file this host cannot read, is copied over the
 * wire with `redis-cli --rdb` instead. Nothing is written to or flushed from the Redis.
 */
export function redisBackupTask(spec: RedisBackupSpec): JobTask {
  return async (ctx) => {
    const url = new URL(spec.url);
    const password = url.password ? decodeURIComponent(url.password) : undefined;
    const log = masking(ctx.log, [password]);
    const redis = new Redis(spec.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    redis.on("error", () => undefined);
    const onAbort = () => redis.disconnect();
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    try {
      await redis.connect();
      const rdb = await bgsave(redis, ctx);
      log(`BGSAVE done (LASTSAVE ${rdb.lastSave})`);
      const file = LOCAL.has(url.hostname) && rdb.path && (await readable(rdb.path)) ? rdb.path : undefined;
      return await writeCopy({ ...ctx, log }, { ...spec, ext: "rdb" }, async (partial) => {
        if (file) {
          await copyFile(file, partial);
          log(`copied ${file}`);
          return { exitCode: 0, signal: null };
        }
        log("RDB file not readable here: copying with redis-cli --rdb");
        url.password = "";
        return commandTask({
          command: ["redis-cli", "-u", url.toString(), "--rdb", partial],
          env: password ? { REDISCLI_AUTH: password } : {},
        })({ ...ctx, log });
      });
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      redis.disconnect();
    }
  };
}

async function bgsave(redis: Redis, ctx: TaskContext): Promise<{ lastSave: number; path?: string }> {
  let before = await redis.lastsave();
  // LASTSAVE counts seconds: a save in this same second would not be told apart from ours.
  while (before >= Math.floor(Date.now() / 1000)) {
    await sleep(200, ctx.signal);
    before = await redis.lastsave();
  }
  try {
    await redis.bgsave();
  } catch (error) {
    // A save already under way (another backup, Redis's own `save` rule) ends with a new LASTSAVE too.
    if (!/in progress/i.test(String(error))) throw error;
  }
  let after = before;
  while (after === before) {
    if (ctx.signal.aborted) throw new Error("stopped while waiting for BGSAVE");
    await sleep(200, ctx.signal);
    after = await redis.lastsave();
    if (after !== before) break;
    const info = await redis.info("persistence");
    if (/rdb_bgsave_in_progress:0/.test(info) && /rdb_last_bgsave_status:err/.test(info))
      throw new Error("BGSAVE failed (rdb_last_bgsave_status:err; the Redis log says why)");
  }
  const path = await rdbPath(redis);
  return { lastSave: after, ...(path ? { path } : {}) };
}

async function rdbPath(redis: Redis): Promise<string | undefined> {
  try {
    const dir = (await redis.config("GET", "dir")) as string[];
    const name = (await redis.config("GET", "dbfilename")) as string[];
    return dir[1] && name[1] ? join(dir[1], name[1]) : undefined;
  } catch {
    // CONFIG is often renamed away on managed Redis.
    return undefined;
  }
}

const readable = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
