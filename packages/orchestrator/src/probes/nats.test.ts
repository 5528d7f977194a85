import { describe, expect, it } from "vitest";
import { closedPort } from "../testing/http-server.ts";
import { NatsCheck } from "./nats.ts";
import { runCheck } from "./run.ts";

// Real targets started on the machine before each session (see shared/notes/environment.md).
describe("nats probe", () => {
  it("connects, flushes and reads JetStream account info from the real NATS", async () => {
    const ok = await runCheck(NatsCheck.parse({ kind: "nats", jetstream: true }), { timeoutMs: 10_000 });
    expect(ok.status).toBe("healthy");
    expect(ok.message).toMatch(/^nats:\/\/127\.0\.0\.1:4222: connected, JetStream ok/);
  });

  it("is unhealthy on a closed port", async () => {
    const port = await closedPort();
    const bad = await runCheck(NatsCheck.parse({ kind: "nats", servers: `nats://127.0.0.1:${port}` }), {
      timeoutMs: 10_000,
    });
    expect(bad.status).toBe("unhealthy");
  });
});
