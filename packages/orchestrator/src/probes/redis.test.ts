import { describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { RedisCheck } from "./redis.ts";
import { runCheck } from "./run.ts";

// Real targets started on the machine before each session (see shared/notes/environment.md).
describe("redis probe", () => {
  it("PINGs the real Redis and checks a key", async () => {
    const ok = await runCheck(RedisCheck.parse({ kind: "redis" }), { timeoutMs: 10_000 });
    expect(ok).toMatchObject({ status: "healthy", message: "redis://127.0.0.1:6379: PONG" });
    const missing = await runCheck(RedisCheck.parse({ kind: "redis", key: `vigil:absent:${Date.now()}` }), {
      timeoutMs: 10_000,
    });
    expect(missing.status).toBe("unhealthy");
    expect(missing.message).toMatch(/does not exist$/);
  });

  it("is unhealthy on a closed port", async () => {
    const port = await closedPort();
    const bad = await runCheck(
      RedisCheck.parse({ kind: "redis", url: `redis://:pw123456@127.0.0.1:${port}` }),
      {
        timeoutMs: 10_000,
      },
    );
    expect(bad.status).toBe("unhealthy");
    expect(bad.message).not.toContain("pw123456");
  });
});
