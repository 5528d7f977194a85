import { type AddressInfo, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { startHttpServer } from "../testing/http-server.ts";
import { HttpCheck } from "./http.ts";
import { NatsCheck } from "./nats.ts";
import { PostgresCheck } from "./postgres.ts";
import { RedisCheck } from "./redis.ts";
import { runCheck } from "./run.ts";

describe("runCheck bound", () => {
  it("settles at the timeout when a target accepts connections but never answers", async () => {
    const mute = createServer(() => {});
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const port = (mute.address() as AddressInfo).port;
    try {
      const specs = [
        RedisCheck.parse({ kind: "redis", url: `redis://127.0.0.1:${port}` }),
        NatsCheck.parse({ kind: "nats", servers: `nats://127.0.0.1:${port}` }),
        PostgresCheck.parse({ kind: "postgres", url: `postgres://127.0.0.1:${port}/x` }),
      ];
      const results = await Promise.all(specs.map((spec) => runCheck(spec, { timeoutMs: 500 })));
      for (const result of results) expect(result.status).toBe("unhealthy");
      expect(results[0]?.message).toBe("timed out after 500ms");
    } finally {
      mute.close();
    }
  });

  it("reports a caller's cancellation as cancelled", async () => {
    const silent = await startHttpServer(() => {});
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const hung = await runCheck(HttpCheck.parse({ kind: "http", url: silent.url }), {
        timeoutMs: 60_000,
        signal: controller.signal,
      });
      expect(hung).toMatchObject({ status: "unhealthy", message: "cancelled" });
    } finally {
      await silent.close();
    }
  });
});
