import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCopies } from "../backup/copies.ts";
import { runOnce } from "../run-once.ts";
import { redisBackupTask } from "./redis-backup.ts";

/* The real Redis on 6379: a key of our own in db 11 (nothing flushed, nobody else's data touched). */

const URL = "redis://127.0.0.1:6379/11";
// At most 20 bytes each: Redis stores longer strings LZF-compressed, and the test reads the raw RDB.
const key = `vbt:${process.pid}:${randomUUID().slice(0, 8)}`;
const value = `m-${randomUUID().slice(0, 12)}`;
let redis: Redis;
let dir: string;

beforeAll(async () => {
  redis = new Redis(URL);
  await redis.set(key, value, "EX", 600);
  dir = mkdtempSync(join(tmpdir(), "vigil-redis-bk-"));
});

afterAll(async () => {
  await redis.del(key);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("redis backup template (real Redis)", () => {
  it("BGSAVEs, waits for LASTSAVE to move, and copies the RDB holding our key", async () => {
    const before = await redis.lastsave();
    const result = await runOnce({
      job: "cache",
      runId: randomUUID(),
      trigger: "test",
      attempt: 1,
      timeoutMs: 60_000,
      signal: new AbortController().signal,
      task: redisBackupTask({ type: "redis", url: URL, destination: dir, retention: { keepCopies: 3 } }),
    });
    expect(result).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    expect(await redis.lastsave()).toBeGreaterThan(before);
    const [copy] = await listCopies(dir, "cache");
    expect(copy?.file).toMatch(/^cache-.*\.rdb$/);
    expect(statSync(copy?.path ?? "").mode & 0o777).toBe(0o600);
    const rdb = readFileSync(copy?.path ?? "");
    expect(rdb.subarray(0, 5).toString()).toBe("REDIS");
    expect(rdb.includes(Buffer.from(key))).toBe(true);
    expect(rdb.includes(Buffer.from(value))).toBe(true);
    // Our key is still there: a backup reads, it never flushes.
    expect(await redis.get(key)).toBe(value);
  });
});
